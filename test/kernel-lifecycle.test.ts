// `jtlab run` and `jtlab reproduce` own their tslab kernel: a stop (SIGINT, SIGTERM, SIGHUP), a second Ctrl-C or a
// SIGKILL of jtlab itself leaves no kernel process and no connection folder behind, and a stopped run leaves its
// partial notebook and report, marked "interrupted at cell N". Two runs writing one report folder wait for each other.
// Each case starts one kernel (two for the concurrent runs); the fixtures are in test/fixtures/kernel-lifecycle/.
import { ChildProcess, spawn } from "child_process";
import * as fs from "fs";
import * as path from "path";
import { describe, expect, it } from "vitest";
import { projectRoot } from "../src/data/paths";
import { Notebook } from "../src/notebook/nbformat";
import { tmpDir } from "./helpers";

const FIXTURES = path.join(projectRoot(), "test", "fixtures", "kernel-lifecycle");
const fixture = (name: string): string => path.join(FIXTURES, name);

interface Cli {
  child: ChildProcess;
  stderr: () => string;
  exit: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

function startCli(args: string[]): Cli {
  const child = spawn(process.execPath, [path.join(projectRoot(), "bin", "jtlab.cjs"), ...args], { cwd: projectRoot(), stdio: ["ignore", "pipe", "pipe"] });
  let err = "";
  child.stderr!.on("data", (d: Buffer) => (err += d.toString()));
  child.stdout!.resume();
  const exit = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => child.on("exit", (code, signal) => resolve({ code, signal })));
  return { child, stderr: () => err, exit };
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

async function waitFor<T>(what: string, probe: () => T | null | undefined | false, timeoutMs = 30_000, cli?: Cli): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = probe();
    if (v) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}${cli ? `\n--- stderr:\n${cli.stderr()}` : ""}`);
    await sleep(100);
  }
}

function readJson(file: string): Notebook | null {
  try {
    return JSON.parse(fs.readFileSync(file, "utf8"));
  } catch {
    return null;
  }
}

/** Live processes (zombies excluded) whose process group is `pgid` or whose command line names `needle`. */
function kernelProcesses(pgid: number, needle: string): string[] {
  const found: string[] = [];
  for (const pid of fs.readdirSync("/proc").filter((d) => /^\d+$/.test(d))) {
    try {
      const stat = fs.readFileSync(`/proc/${pid}/stat`, "utf8");
      // pid (comm) state ppid pgrp ...: comm may hold spaces and parentheses, so read after the last ")".
      const [state, , pgrp] = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
      if (state === "Z" || state === "X") continue;
      const cmd = fs.readFileSync(`/proc/${pid}/cmdline`, "utf8").replace(/\0/g, " ");
      if (Number(pgrp) === pgid || cmd.includes(needle)) found.push(`${pid} ${state} ${cmd.slice(0, 120)}`);
    } catch {
      // The process ended while it was being read.
    }
  }
  return found;
}

/** The kernel's process group and connection folder, from the runner's start-up line. */
async function kernelOf(cli: Cli): Promise<{ pgid: number; dir: string }> {
  const m = await waitFor("the kernel's start-up line", () => /process group (\d+), (\S+jtlab-kernel-[^)\s]+)\)/.exec(cli.stderr()), 60_000, cli);
  const k = { pgid: Number(m[1]), dir: m[2] };
  expect(fs.existsSync(k.dir)).toBe(true);
  expect(kernelProcesses(k.pgid, k.dir).length).toBeGreaterThan(0);
  return k;
}

/** Waits until the partial notebook says cell `n` is running (it is saved as each cell starts). */
async function cellRunning(file: string, n: number, cli: Cli): Promise<Notebook> {
  const nb = await waitFor(`cell ${n} running in ${file}`, () => {
    const nb = readJson(file);
    return nb?.metadata.jtlab?.running_cell === n ? nb : null;
  }, 60_000, cli);
  // The execute request is on its way: give the kernel a moment to be inside the cell.
  await sleep(400);
  return nb;
}

async function expectKernelGone(k: { pgid: number; dir: string }, withinMs = 3000): Promise<void> {
  const deadline = Date.now() + withinMs;
  while (kernelProcesses(k.pgid, k.dir).length > 0 && Date.now() < deadline) await sleep(100);
  expect(kernelProcesses(k.pgid, k.dir)).toEqual([]);
  expect(fs.existsSync(k.dir)).toBe(false);
}

function expectInterrupted(out: string, name: string, signal: string, cell: number): Notebook {
  const nb = readJson(path.join(out, `${name}.ipynb`))!;
  expect(nb, "the partial notebook is whole JSON").not.toBeNull();
  expect(nb.metadata.jtlab).toMatchObject({ status: "interrupted", interrupted: { signal, cell }, failure: null });
  const html = fs.readFileSync(path.join(out, `${name}.html`), "utf8");
  expect(html).toContain(`interrupted at cell ${cell} by ${signal}`);
  expect(html.trimEnd().endsWith("</html>")).toBe(true);
  return nb;
}

const noLeftovers = (out: string): string[] => fs.readdirSync(out).filter((f) => f.startsWith("."));

describe("jtlab run owns its kernel", () => {
  it("SIGINT during a synchronous loop: exit 130, kernel group and connection folder gone, notebook and report interrupted at cell 2, the previous report kept", async () => {
    const out = tmpDir();
    fs.writeFileSync(path.join(out, "sync-loop.html"), "<p>a report the user made</p>\n");
    const cli = startCli(["run", fixture("sync-loop.ipynb"), "--out", out, "--quiet"]);
    const k = await kernelOf(cli);
    const partial = await cellRunning(path.join(out, "sync-loop.ipynb"), 2, cli);
    expect(partial.metadata.jtlab.status).toBe("running");
    expect(partial.cells[0].metadata.jtlab.status).toBe("ok");
    expect(fs.readFileSync(path.join(out, "sync-loop.prev.html"), "utf8")).toBe("<p>a report the user made</p>\n");
    cli.child.kill("SIGINT");
    expect(await cli.exit).toEqual({ code: 130, signal: null });
    await expectKernelGone(k);
    const nb = expectInterrupted(out, "sync-loop", "SIGINT", 2);
    expect(nb.cells.map((c) => c.metadata.jtlab?.status)).toEqual(["ok", "interrupted", "skipped"]);
    expect(JSON.stringify(nb.cells[0].outputs)).toContain("before the loop");
    expect(cli.stderr()).toMatch(/interrupted at cell 2 by SIGINT/);
    expect(noLeftovers(out)).toEqual([]);
  });

  it.each([
    ["SIGTERM", 143],
    ["SIGHUP", 129],
  ] as const)("%s during a long await: exit %i, kernel gone, interrupted at cell 2", async (signal, code) => {
    const out = tmpDir();
    const cli = startCli(["run", fixture("long-timer.ipynb"), "--out", out, "--quiet"]);
    const k = await kernelOf(cli);
    await cellRunning(path.join(out, "long-timer.ipynb"), 2, cli);
    cli.child.kill(signal);
    expect(await cli.exit).toEqual({ code, signal: null });
    await expectKernelGone(k);
    expectInterrupted(out, "long-timer", signal, 2);
  });

  it("a second SIGINT stops at once and still kills the kernel and saves the run as interrupted", async () => {
    const out = tmpDir();
    const cli = startCli(["run", fixture("unbreakable-loop.ipynb"), "--out", out, "--quiet"]);
    const k = await kernelOf(cli);
    await cellRunning(path.join(out, "unbreakable-loop.ipynb"), 2, cli);
    cli.child.kill("SIGINT");
    await sleep(300);
    const t0 = Date.now();
    cli.child.kill("SIGINT");
    expect(await cli.exit).toEqual({ code: 130, signal: null });
    // Well before the interrupt's grace would have run out.
    expect(Date.now() - t0).toBeLessThan(2000);
    expect(cli.stderr()).toMatch(/SIGINT again: stopping now/);
    await expectKernelGone(k);
    const nb = expectInterrupted(out, "unbreakable-loop", "SIGINT", 2);
    expect(nb.cells.map((c) => c.metadata.jtlab?.status)).toEqual(["ok", "interrupted", "skipped"]);
    expect(noLeftovers(out)).toEqual([]);
  });

  it("SIGKILL of jtlab: the kernel (stuck in a loop) exits by itself within seconds, its folder removed; the partial notebook says where it was", async () => {
    const out = tmpDir();
    const cli = startCli(["run", fixture("unbreakable-loop.ipynb"), "--out", out, "--quiet"]);
    const k = await kernelOf(cli);
    await cellRunning(path.join(out, "unbreakable-loop.ipynb"), 2, cli);
    cli.child.kill("SIGKILL");
    expect((await cli.exit).signal).toBe("SIGKILL");
    await expectKernelGone(k, 5000);
    const nb = readJson(path.join(out, "unbreakable-loop.ipynb"))!;
    expect(nb.metadata.jtlab).toMatchObject({ status: "running", running_cell: 2 });
    const html = fs.readFileSync(path.join(out, "unbreakable-loop.html"), "utf8");
    expect(html).toContain("while cell 2 was running");
  });
});

describe("jtlab reproduce owns its kernels", () => {
  it("SIGINT in a loop tslab cannot break: the kernel's group is killed after the grace, exit 130, the next notebook not started, the index written", async () => {
    const out = tmpDir();
    const dir = fixture("reproduce");
    const cli = startCli(["reproduce", "--notebooks", dir, "--profiles", path.join(dir, "profiles.json"), "--out", out]);
    const k = await kernelOf(cli);
    await cellRunning(path.join(out, "01-loop.ipynb"), 3, cli);
    cli.child.kill("SIGINT");
    expect(await cli.exit).toEqual({ code: 130, signal: null });
    await expectKernelGone(k);
    expectInterrupted(out, "01-loop", "SIGINT", 3);
    expect(fs.existsSync(path.join(out, "02-after.ipynb"))).toBe(false);
    expect(cli.stderr()).not.toMatch(/== 02-after/);
    const index = fs.readFileSync(path.join(out, "index.html"), "utf8");
    expect(index).toMatch(/<tr class="interrupted">.*01-loop.*interrupted at cell 3 by SIGINT/);
    expect(index).toMatch(/02-after.*not run/);
    expect(noLeftovers(out)).toEqual([]);
  });
});

describe("two runs writing one report folder", () => {
  it("both succeed, one after the other: whole files, the first run's report kept as .prev", async () => {
    const out = tmpDir();
    const a = startCli(["run", fixture("tiny.ipynb"), "--out", out, "--quiet", "-p", "n=3"]);
    const b = startCli(["run", fixture("tiny.ipynb"), "--out", out, "--quiet", "-p", "n=4"]);
    const [ea, eb] = await Promise.all([a.exit, b.exit]);
    expect(ea.code, a.stderr()).toBe(0);
    expect(eb.code, b.stderr()).toBe(0);
    // One of them waited for the other's lock.
    expect(a.stderr() + b.stderr()).toMatch(/waiting for process \d+, which is writing tiny/);
    const last = readJson(path.join(out, "tiny.ipynb"))!;
    const prev = readJson(path.join(out, "tiny.prev.ipynb"))!;
    expect(last.metadata.jtlab.status).toBe("ok");
    expect(prev.metadata.jtlab.status).toBe("ok");
    const ns = [last.metadata.jtlab.parameters.n, prev.metadata.jtlab.parameters.n].sort();
    expect(ns).toEqual([3, 4]);
    const n = last.metadata.jtlab.parameters.n;
    expect(JSON.stringify(last.cells)).toContain(`n*n=${n * n}`);
    for (const f of ["tiny.html", "tiny.prev.html"]) {
      const html = fs.readFileSync(path.join(out, f), "utf8");
      expect(html.startsWith("<!DOCTYPE html>")).toBe(true);
      expect(html.trimEnd().endsWith("</html>")).toBe(true);
    }
    expect(fs.readFileSync(path.join(out, "tiny.html"), "utf8")).toContain(`n*n=${n * n}`);
    expect(noLeftovers(out)).toEqual([]);
  });
});
