#!/usr/bin/env node
// The kernel `jtlab kernel install` registers: tslab from this project's node_modules, started at the project
// root so that notebooks can import ./src/... wherever Jupyter runs them from.
const path = require("path");
const root = path.resolve(__dirname, "..");
const connectionFile = process.argv[2];
if (!connectionFile) {
  console.error("usage: jtlab-kernel.cjs <connection_file>");
  process.exit(2);
}
process.chdir(root);
process.env.JTLAB_KERNEL = "1";
process.argv = [process.argv[0], path.join(root, "node_modules", "tslab", "bin", "tslab"), "kernel", "--config-path", path.resolve(connectionFile)];
require(path.join(root, "node_modules", "tslab", "bin", "tslab"));
