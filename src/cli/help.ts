/** The text of `shadowcheck --help`. */
export const HELP = `shadowcheck — property-based fuzzing and invariants for hypervisor memory-sharing interfaces

Usage:
  shadowcheck fuzz [--design ID]... [--invariant ID]... [--set knob=value]... [--seed N]
                   [--runs N | --time SECONDS] [--json] [--no-variants] [--max-actions N]
      Fuzz each selected design (default: all) against each selected invariant (default: all that
      apply). Without --set, each design runs with its defaults and with its notable knob variants.
      Prints a verdict table and, for each violation, the shrunk trace with its witness in words and
      a line that reproduces it. Exit 0 when every verdict is what the design expects, 1 otherwise.
  shadowcheck list
      Designs with their knobs and expected verdicts; invariants with their rationale.
  shadowcheck --help

Exit codes: 0 verdicts as expected, 1 an unexpected verdict, 2 usage or input error.
`;
