#!/usr/bin/env node
// The CLI runs the TypeScript sources directly (tsx), so that a user who edits src/ never has a stale build.
require("tsx/cjs");
// `jtlab ... | head` closes the pipe early: that is not an error.
process.stdout.on("error", (e) => {
  if (e.code === "EPIPE") process.exit(0);
  throw e;
});
require("../src/cli/main.ts").main(process.argv.slice(2));
