/** The text of `shadowcheck --help`. */
export const HELP = `shadowcheck — property-based fuzzing and invariants for hypervisor memory-sharing interfaces

Usage:
  shadowcheck fuzz [--design ID]... [--invariant ID]... [--set knob=value]... [--seed N]
                   [--runs N | --time SECONDS] [--json] [--no-variants] [--max-actions N]
                   [--save | --no-save] [--corpus DIR] [--out-itf PATH]
      Fuzz each selected design (default: all) against each selected invariant (default: all that
      apply). Without --set, each design runs with its defaults and with its notable knob variants.
      Prints a verdict table and, for each violation, the shrunk trace with its witness in words and
      a line that reproduces it. Exit 0 when every verdict is what the design expects, 1 otherwise.
      --save writes each new shrunk violation to the corpus (DIR, default corpus/), de-duplicated;
      npm start passes it, --no-save turns it off. --out-itf writes the counterexamples as ITF
      traces: to PATH if it ends in .json and there is one, else one file each under PATH.
      With --time, a progress line on a terminal (none under CI=true or when output is piped);
      Ctrl-C stops at the next chunk, saves what was found, prints the report (exit 130).
  shadowcheck replay [FILE|DIR]... [--json] [--out-itf PATH] [--mark-fixed]
      Re-run saved counterexamples (default: corpus/; ITF files shadowcheck wrote are accepted) and
      report each: reproduced, no longer reproduces, stale (the design changed digest, an action no
      longer applies, an older format) or bad input, with the reason. Exit 0 all reproduced, 1 some
      did not or are stale, 2 a file is bad input (the other entries are still replayed).
      --out-itf writes the entries that reproduced as ITF traces (naming as for fuzz).
      --mark-fixed rewrites each entry whose invariant now holds through all its actions (a design
      fix) as an entry recorded as fixed, so replay fails if the violation ever comes back.
  shadowcheck audit FILE [--against DESIGN] [--seed N] [--runs N | --time SECONDS] [--json]
                   [--junit FILE] [--corpus PATH]... [--max-actions N]
      FILE is a proposed design: a TypeScript module default-exporting deriveDesign(baseline, {...}),
      or a JSON knob file {"baseline", "id", "knobs"}. Fuzzes it and its baseline (the one it names,
      or --against) with the same seed and budget, replays the corpus on both, and prints which
      invariants it newly breaks (with a minimal trace), newly fixes, or leaves unchanged.
      --junit writes JUnit XML (a test case per design and invariant). Exit 0 nothing newly broken,
      1 something is, 2 bad input.
  shadowcheck explain FILE...
      A saved counterexample step by step: each action, its answer, what changed in ownership
      (frames' owners, references and mappings; target lists), and the witness in words.
  shadowcheck list
      Designs with their knobs and expected verdicts; invariants with their rationale.
  shadowcheck --help

Exit codes: 0 verdicts as expected, 1 an unexpected verdict, 2 usage or input error, 130 stopped by Ctrl-C.
`;
