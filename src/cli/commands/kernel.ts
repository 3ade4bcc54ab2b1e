// `jtlab kernel install [--user | --prefix DIR] [--name NAME]`: a Jupyter kernelspec that runs tslab from this
// project's node_modules, started at the project root (tslab compiles local imports only under its working
// directory, and notebooks import ./src/...). Written directly as JSON: no Python is needed.
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { projectRoot } from "../../data/paths";
import { parse, UsageError } from "../args";
import { writeFileAtomic } from "../../io/atomic";

const USAGE = "jtlab kernel install [--user | --prefix DIR] [--name NAME]";

export function kernelspecDir(opts: { prefix?: string; name: string; env?: NodeJS.ProcessEnv }): string {
  const env = opts.env ?? process.env;
  if (opts.prefix) return path.join(opts.prefix, "share", "jupyter", "kernels", opts.name);
  const data = env.JUPYTER_DATA_DIR ?? path.join(env.XDG_DATA_HOME ?? path.join(os.homedir(), ".local", "share"), "jupyter");
  return path.join(data, "kernels", opts.name);
}

export function kernelspec(name: string): Record<string, unknown> {
  return {
    argv: [process.execPath, path.join(projectRoot(), "bin", "jtlab-kernel.cjs"), "{connection_file}"],
    display_name: `TypeScript (${name})`,
    language: "typescript",
    interrupt_mode: "signal",
    metadata: { jtlab_project: projectRoot() },
  };
}

export async function kernelCommand(argv: string[]): Promise<void> {
  const [sub, ...rest] = argv;
  if (sub !== "install") throw new UsageError(`usage: ${USAGE}`);
  const { values } = parse(rest, { prefix: { type: "string" }, name: { type: "string" }, user: { type: "boolean" } }, USAGE);
  const name = values.name ?? "jtlab";
  if (!/^[a-z0-9._-]+$/i.test(name)) throw new UsageError(`kernel name ${JSON.stringify(name)}: use letters, digits, ".", "_" or "-"`);
  const dir = kernelspecDir({ prefix: values.prefix, name });
  const file = path.join(dir, "kernel.json");
  const existed = fs.existsSync(file);
  fs.mkdirSync(dir, { recursive: true });
  writeFileAtomic(file, JSON.stringify(kernelspec(name), null, 2) + "\n");
  console.log(`${existed ? "updated" : "installed"} kernelspec "${name}" in ${dir}`);
  console.log(`open the notebooks with: jupyter-notebook --notebook-dir=${projectRoot()} (choose the kernel "TypeScript (${name})")`);
}
