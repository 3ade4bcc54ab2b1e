// Shared test helpers: temporary folders, running the CLI, and a copy of the data folder to corrupt.
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { findDataDir, projectRoot } from "../src/data/paths";

export function tmpDir(prefix = "jtlab-test-"): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), prefix));
}

export interface CliResult {
  status: number;
  stdout: string;
  stderr: string;
}

export function runCli(args: string[], env: NodeJS.ProcessEnv = {}, cwd = projectRoot()): CliResult {
  const r = spawnSync(process.execPath, [path.join(projectRoot(), "bin", "jtlab.cjs"), ...args], {
    cwd,
    env: { ...process.env, ...env },
    encoding: "utf8",
    timeout: 600_000,
  });
  return { status: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
}

/** A data folder of symlinks to the real one, so that a test can replace one file with a broken copy. */
export function linkedDataDir(): string {
  const src = findDataDir().dir;
  const dst = tmpDir("jtlab-data-");
  for (const ds of fs.readdirSync(src)) {
    const from = path.join(src, ds);
    if (!fs.statSync(from).isDirectory()) continue;
    fs.mkdirSync(path.join(dst, ds));
    for (const f of fs.readdirSync(from)) fs.symlinkSync(path.join(from, f), path.join(dst, ds, f));
  }
  return dst;
}
