// A live Jupyter for browser tests: Debian's classic notebook server on 127.0.0.1 (a free port, a random token),
// with temporary HOME and Jupyter folders so that nothing of the user's is read or touched, and this project's
// tslab kernel registered there as `jtlab kernel install` registers it. Outside CI a machine without Jupyter
// skips these tests with a printed reason; under CI=true they must run (.ci/run installs it).
import { ChildProcess, spawn, spawnSync } from "child_process";
import { randomBytes } from "crypto";
import * as fs from "fs";
import * as net from "net";
import * as path from "path";
import { kernelspec, kernelspecDir } from "../src/cli/commands/kernel";
import { tmpDir } from "./helpers";

export const JUPYTER_NOTEBOOK = process.env.JTLAB_JUPYTER ?? "/usr/bin/jupyter-notebook";
export const SYSTEM_PYTHON = "/usr/bin/python3";
export const KERNEL_NAME = "jtlab";

export function jupyterSkipReason(): string | null {
  if (fs.existsSync(JUPYTER_NOTEBOOK)) return null;
  if (process.env.CI === "true") throw new Error(`CI=true but ${JUPYTER_NOTEBOOK} is missing: .ci/run installs Debian's jupyter-notebook`);
  return `${JUPYTER_NOTEBOOK} not found (apt-get install jupyter-notebook jupyter-nbconvert to run the live Jupyter tests)`;
}

export interface JupyterServer {
  url: string;
  token: string;
  notebookDir: string;
  /** Environment with the temporary Jupyter folders, for nbconvert and other Jupyter tools. */
  env: NodeJS.ProcessEnv;
  /** The server's output so far, for failure messages. */
  log(): string;
  stop(): Promise<void>;
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.once("error", reject);
    srv.listen(0, "127.0.0.1", () => {
      const port = (srv.address() as net.AddressInfo).port;
      srv.close(() => resolve(port));
    });
  });
}

function isolatedEnv(root: string): NodeJS.ProcessEnv {
  const dirs = { HOME: "home", JUPYTER_CONFIG_DIR: "config", JUPYTER_DATA_DIR: "data", JUPYTER_RUNTIME_DIR: "runtime", IPYTHONDIR: "ipython" };
  const env: NodeJS.ProcessEnv = { ...process.env, JUPYTER_PLATFORM_DIRS: "0", JUPYTER_NO_CONFIG: "1", PYTHONNOUSERSITE: "1" };
  delete env.JUPYTER_PATH;
  delete env.JUPYTER_CONFIG_PATH;
  for (const [name, dir] of Object.entries(dirs)) {
    env[name] = path.join(root, dir);
    fs.mkdirSync(env[name]!, { recursive: true });
  }
  return env;
}

function registerKernel(env: NodeJS.ProcessEnv): void {
  const dir = kernelspecDir({ name: KERNEL_NAME, env });
  fs.mkdirSync(dir, { recursive: true });
  fs.writeFileSync(path.join(dir, "kernel.json"), JSON.stringify(kernelspec(KERNEL_NAME), null, 2));
}

async function waitForServer(url: string, token: string, child: ChildProcess, log: () => string, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`jupyter-notebook exited with ${child.exitCode}:\n${log()}`);
    try {
      const r = await fetch(`${url}api/status?token=${token}`);
      if (r.ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`jupyter-notebook did not answer on ${url} within ${timeoutMs} ms:\n${log()}`);
}

/** Kernels run in sessions of their own (jupyter_client starts them so): found by their connection files. */
function kernelPids(runtimeDir: string): number[] {
  const pids: number[] = [];
  for (const entry of fs.readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      if (fs.readFileSync(`/proc/${entry}/cmdline`, "utf8").includes(runtimeDir)) pids.push(Number(entry));
    } catch {
      // gone already
    }
  }
  return pids;
}

function killQuietly(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(pid, signal);
  } catch {
    // already gone
  }
}

async function stopServer(url: string, token: string, child: ChildProcess, runtimeDir: string): Promise<void> {
  try {
    const kernels = (await (await fetch(`${url}api/kernels?token=${token}`)).json()) as { id: string }[];
    await Promise.all(kernels.map((k) => fetch(`${url}api/kernels/${k.id}?token=${token}`, { method: "DELETE" })));
  } catch {
    // the server may be gone; the kernels are killed below either way
  }
  if (child.pid !== undefined && child.exitCode === null) {
    killQuietly(-child.pid, "SIGTERM");
    const exited = await Promise.race([new Promise((r) => child.once("exit", () => r(true))), new Promise((r) => setTimeout(() => r(false), 5000))]);
    if (!exited) killQuietly(-child.pid, "SIGKILL");
  }
  for (const pid of kernelPids(runtimeDir)) killQuietly(pid, "SIGKILL");
}

/** Starts the server on `notebookDir`; the caller must call stop() (in afterAll), which kills it and its kernels. */
export async function startJupyter(notebookDir: string, timeoutMs = 60_000): Promise<JupyterServer> {
  const root = tmpDir("jtlab-jupyter-");
  const env = isolatedEnv(root);
  registerKernel(env);
  const port = await freePort();
  const token = randomBytes(16).toString("hex");
  const args = [
    "--no-browser",
    "--ip=127.0.0.1",
    `--port=${port}`,
    "--port-retries=0",
    `--notebook-dir=${notebookDir}`,
    `--NotebookApp.token=${token}`,
    "--NotebookApp.open_browser=False",
  ];
  if (process.getuid?.() === 0) args.push("--allow-root");
  // Its own process group, so that stop() reaches the server and anything it starts in that group.
  const child = spawn(JUPYTER_NOTEBOOK, args, { env, cwd: notebookDir, detached: true, stdio: ["ignore", "pipe", "pipe"] });
  let output = "";
  child.stdout!.on("data", (b) => (output += b));
  child.stderr!.on("data", (b) => (output += b));
  const url = `http://127.0.0.1:${port}/`;
  const log = () => output.slice(-4000);
  const stop = () => stopServer(url, token, child, env.JUPYTER_RUNTIME_DIR!);
  try {
    await waitForServer(url, token, child, log, timeoutMs);
  } catch (e) {
    await stop();
    throw e;
  }
  return { url, token, notebookDir, env, log, stop };
}

/** nbconvert's HTML of a saved notebook, written next to it; Debian runs nbconvert as a module of its python3. */
export function nbconvertHtml(notebook: string, env: NodeJS.ProcessEnv): string {
  const r = spawnSync(SYSTEM_PYTHON, ["-m", "nbconvert", "--to", "html", notebook], { env, encoding: "utf8", timeout: 120_000 });
  if (r.status !== 0) throw new Error(`nbconvert failed (${r.status}): ${r.stderr}`);
  return notebook.replace(/\.ipynb$/, ".html");
}
