// A lock file for work two jtlab processes must not do at once in one place (building data/derived/, writing a
// report set). The lock holds the owner's pid and host; a lock whose owner is gone (killed, crashed) is taken over.
import * as fs from "fs";
import * as os from "os";
import { tempPathFor } from "./atomic";
import { atExit } from "./signals";

export interface LockOptions {
  /** Seconds to wait for another process to release the lock (default 600). */
  timeoutSeconds?: number;
  /** Said once while waiting. */
  onWait?: (owner: string) => void;
}

/** True when a process with this pid exists on this machine. */
export function pidAlive(pid: number): boolean {
  if (!Number.isInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    // EPERM: it exists but belongs to someone else.
    return (e as NodeJS.ErrnoException).code === "EPERM";
  }
}

function sleepSync(ms: number): void {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}

function ownerOf(lockFile: string): { pid: number; host: string } | null {
  try {
    const o = JSON.parse(fs.readFileSync(lockFile, "utf8"));
    return { pid: Number(o.pid), host: String(o.host) };
  } catch {
    return null;
  }
}

/** Takes `lockFile` (waiting while a live process holds it), runs `fn`, and releases it. Synchronous work only. */
export function withLockSync<T>(lockFile: string, fn: () => T, opts: LockOptions = {}): T {
  const w = new Waiter(lockFile, opts);
  let release: (() => void) | null;
  while (!(release = w.tryTake())) sleepSync(100);
  try {
    return fn();
  } finally {
    release();
  }
}

/** withLockSync for asynchronous work: waiting does not block the event loop. */
export async function withLock<T>(lockFile: string, fn: () => Promise<T>, opts: LockOptions = {}): Promise<T> {
  const w = new Waiter(lockFile, opts);
  let release: (() => void) | null;
  while (!(release = w.tryTake())) await new Promise((r) => setTimeout(r, 100));
  try {
    return await fn();
  } finally {
    release();
  }
}

class Waiter {
  private readonly deadline: number;
  private told = false;
  constructor(
    private readonly lockFile: string,
    private readonly opts: LockOptions,
  ) {
    this.deadline = Date.now() + (opts.timeoutSeconds ?? 600) * 1000;
  }

  /** The release function when the lock was taken; null when another live process holds it. */
  tryTake(): (() => void) | null {
    const { lockFile, opts } = this;
    const me = JSON.stringify({ pid: process.pid, host: os.hostname(), since: new Date().toISOString() });
    for (;;) {
      if (createWhole(lockFile, me)) break;
      const owner = ownerOf(lockFile);
      // A lock from a process that is gone, or one half-written by a process killed while taking it, is stale.
      const stale = owner ? owner.host === os.hostname() && !pidAlive(owner.pid) : ageSeconds(lockFile) > 5;
      if (stale) {
        fs.rmSync(lockFile, { force: true });
        continue;
      }
      if (Date.now() > this.deadline) throw new Error(`${lockFile} is held by process ${owner?.pid ?? "?"} on ${owner?.host ?? "?"}; waited ${opts.timeoutSeconds ?? 600} s`);
      if (!this.told) {
        opts.onWait?.(owner ? `process ${owner.pid}` : "another process");
        this.told = true;
      }
      return null;
    }
    const forget = atExit(() => fs.rmSync(lockFile, { force: true }));
    return () => {
      forget();
      // Only our own lock is removed.
      if (ownerOf(lockFile)?.pid === process.pid) fs.rmSync(lockFile, { force: true });
    };
  }
}

/**
 * Creates `lockFile` holding `text`, or returns false when it exists. The text is written to a temporary file first and
 * hard-linked into place, so that a process waiting on the lock never reads it empty (it then names the owner).
 */
function createWhole(lockFile: string, text: string): boolean {
  const tmp = tempPathFor(lockFile);
  fs.writeFileSync(tmp, text);
  try {
    fs.linkSync(tmp, lockFile);
    return true;
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === "EEXIST") return false;
    if (code !== "EPERM" && code !== "ENOTSUP" && code !== "EXDEV") throw e;
  } finally {
    fs.rmSync(tmp, { force: true });
  }
  // A filesystem without hard links: exclusive create, then write (a reader may see it empty for a moment).
  try {
    fs.writeFileSync(lockFile, text, { flag: "wx" });
    return true;
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === "EEXIST") return false;
    throw e;
  }
}

function ageSeconds(file: string): number {
  try {
    return (Date.now() - fs.statSync(file).mtimeMs) / 1000;
  } catch {
    return Infinity;
  }
}
