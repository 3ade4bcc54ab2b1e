// The process and file plumbing of src/io: stop tokens and exit codes, atomic writes (no temporary file survives a
// failure or a signal), and the lock file (waits for a live owner, takes over from a dead one).
import { spawn } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { describe, expect, it } from "vitest";
import { projectRoot } from "../src/data/paths";
import { atomicWriteStream, isTempName, tempPathFor, writeDirAtomic, writeFileAtomic } from "../src/io/atomic";
import { withLockSync } from "../src/io/lock";
import { tmpDir } from "./helpers";

/** Runs a TypeScript snippet in a child process; resolves once it printed `ready`, with a way to signal it. */
function child(code: string): { ready: Promise<void>; kill: (s: NodeJS.Signals) => void; exit: Promise<number | null>; out: () => string } {
  const dir = tmpDir("jtlab-io-");
  const file = path.join(dir, "child.ts");
  fs.writeFileSync(file, code.replace(/SRC\//g, path.join(projectRoot(), "src") + "/"));
  const c = spawn(process.execPath, ["--import", "tsx", file], { cwd: projectRoot() });
  let out = "";
  c.stdout.on("data", (b: Buffer) => (out += b));
  c.stderr.on("data", (b: Buffer) => (out += b));
  return {
    ready: new Promise((resolve) => c.stdout.on("data", () => out.includes("ready") && resolve())),
    kill: (s) => c.kill(s),
    exit: new Promise((resolve) => c.on("exit", (code) => resolve(code))),
    out: () => out,
  };
}

async function until(test: () => boolean): Promise<void> {
  for (let i = 0; i < 500 && !test(); i++) await new Promise((r) => setTimeout(r, 20));
  expect(test()).toBe(true);
}

describe("stop signals", () => {
  it("with no stoppable work, SIGTERM runs the exit cleanups and exits 143", async () => {
    const marker = path.join(tmpDir(), "marker");
    fs.writeFileSync(marker, "x");
    const c = child(`import { atExit } from "SRC/io/signals";\natExit(() => require("fs").rmSync(${JSON.stringify(marker)}));\nconsole.log("ready");\nsetInterval(() => undefined, 1000);\n`);
    await c.ready;
    c.kill("SIGTERM");
    expect(await c.exit).toBe(143);
    expect(fs.existsSync(marker)).toBe(false);
  });

  it("the first SIGINT asks a stop token to stop; the work ends on its own; a second SIGINT exits 130 at once", async () => {
    const c = child(
      `import { stopToken } from "SRC/io/signals";\nconst t = stopToken();\nt.onStop((s) => console.log("asked " + s));\nconsole.log("ready");\nsetInterval(() => undefined, 1000);\n`,
    );
    await c.ready;
    c.kill("SIGINT");
    await until(() => c.out().includes("asked SIGINT"));
    expect(c.out()).toMatch(/SIGINT: stopping at the next safe point/);
    c.kill("SIGINT");
    expect(await c.exit).toBe(130);
    expect(c.out()).toMatch(/SIGINT again: stopping now/);
  });
});

describe("atomic writes", () => {
  it("a file appears whole, and no temporary file is left beside it", () => {
    const dir = tmpDir();
    const f = path.join(dir, "a.json");
    writeFileAtomic(f, "{}");
    writeFileAtomic(f, '{"b":1}');
    expect(fs.readFileSync(f, "utf8")).toBe('{"b":1}');
    expect(fs.readdirSync(dir)).toEqual(["a.json"]);
    expect(isTempName(path.basename(tempPathFor(f)))).toBe(true);
    expect(() => writeFileAtomic(path.join(dir, "missing", "x"), "y")).toThrow(/ENOENT/);
  });

  it("a stream's file appears only on commit; abort leaves nothing", async () => {
    const dir = tmpDir();
    const f = path.join(dir, "out.csv");
    const a = atomicWriteStream(f);
    a.stream.write("a,b\n");
    expect(fs.existsSync(f)).toBe(false);
    await a.commit();
    expect(fs.readFileSync(f, "utf8")).toBe("a,b\n");
    const b = atomicWriteStream(f);
    b.stream.write("half");
    b.abort();
    expect(fs.readdirSync(dir)).toEqual(["out.csv"]);
    expect(fs.readFileSync(f, "utf8")).toBe("a,b\n");
  });

  it("a stream interrupted by SIGTERM leaves no temporary file", async () => {
    const dir = tmpDir();
    const f = path.join(dir, "big.csv");
    const c = child(`import { atomicWriteStream } from "SRC/io/atomic";\nconst a = atomicWriteStream(${JSON.stringify(f)});\na.stream.write("x".repeat(1 << 20));\nconsole.log("ready");\nsetInterval(() => a.stream.write("y"), 10);\n`);
    await c.ready;
    await until(() => fs.readdirSync(dir).length === 1);
    expect(isTempName(fs.readdirSync(dir)[0])).toBe(true);
    c.kill("SIGTERM");
    expect(await c.exit).toBe(143);
    expect(fs.readdirSync(dir)).toEqual([]);
  });

  it("a folder is swapped in whole; a failure while filling it leaves the old one", () => {
    const root = tmpDir();
    const d = path.join(root, "derived");
    writeDirAtomic(d, (tmp) => fs.writeFileSync(path.join(tmp, "a"), "1"));
    expect(() =>
      writeDirAtomic(d, (tmp) => {
        fs.writeFileSync(path.join(tmp, "a"), "2");
        throw new Error("disk full");
      }),
    ).toThrow("disk full");
    expect(fs.readFileSync(path.join(d, "a"), "utf8")).toBe("1");
    writeDirAtomic(d, (tmp) => fs.writeFileSync(path.join(tmp, "b"), "3"));
    expect(fs.readdirSync(d)).toEqual(["b"]);
    expect(fs.readdirSync(root)).toEqual(["derived"]);
  });
});

describe("the lock file", () => {
  it("takes over a lock whose owner is gone, and releases it", () => {
    const lock = path.join(tmpDir(), "x.lock");
    // A pid far above any this machine hands out.
    fs.writeFileSync(lock, JSON.stringify({ pid: 2 ** 22 + 12345, host: os.hostname() }));
    expect(withLockSync(lock, () => JSON.parse(fs.readFileSync(lock, "utf8")).pid)).toBe(process.pid);
    expect(fs.existsSync(lock)).toBe(false);
  });

  it("waits for a live owner, then says who held it when it gives up", () => {
    const lock = path.join(tmpDir(), "y.lock");
    fs.writeFileSync(lock, JSON.stringify({ pid: process.ppid, host: os.hostname() }));
    let told = "";
    expect(() => withLockSync(lock, () => 1, { timeoutSeconds: 0.3, onWait: (o) => (told = o) })).toThrow(new RegExp(`held by process ${process.ppid}`));
    expect(told).toBe(`process ${process.ppid}`);
  });
});
