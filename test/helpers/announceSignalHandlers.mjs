// Preloaded (node --import) into a CLI process that a signal test spawns: it writes one line on stderr
// when the CLI installs its SIGINT or SIGTERM handler, so the test sends the signal once it will be
// heard instead of after a guessed delay (which a loaded machine can outlast: the default action would
// then kill the process and the test would fail for no fault of the code).
const on = process.on.bind(process);
process.on = function (event, listener) {
  const r = on(event, listener);
  if (event === 'SIGINT' || event === 'SIGTERM') process.stderr.write(`[test] ${event} handler installed\n`);
  return r;
};
