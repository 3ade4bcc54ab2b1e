// A scoring worker thread's entry: worker threads start plain Node, so the TypeScript sources are loaded through tsx
// here, as bin/jtlab.cjs does for the CLI.
require("tsx/cjs");
require("./worker.ts");
