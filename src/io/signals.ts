// Stopping a jtlab process cleanly. Work that can stop at a safe point (a training loop between batches, a notebook
// runner between cells) holds a StopToken while it runs. The first SIGINT, SIGTERM or SIGHUP asks every live token
// to stop there; with no live token, or on a second signal, the process exits at once. Either way the exit cleanups
// run first (temporary files, kernel process groups), and the exit code is the shell's: 128 + the signal's number.
//
// Inside a tslab kernel SIGINT belongs to tslab (it is how Jupyter interrupts a cell): tokens are still told, so a
// training cell stops after its batch, but the kernel is never exited from here.
import { inKernel } from "./kernel-env";

export type StopSignal = "SIGINT" | "SIGTERM" | "SIGHUP";

export const STOP_SIGNALS: StopSignal[] = ["SIGINT", "SIGTERM", "SIGHUP"];

/** 128 + the signal's number, as shells report a process a signal ended. */
export const SIGNAL_EXIT_CODE: Record<StopSignal, number> = { SIGHUP: 129, SIGINT: 130, SIGTERM: 143 };

/** Thrown (or returned as a reason) by work that stopped because it was asked to. */
export class StopRequested extends Error {
  constructor(
    readonly signal: StopSignal,
    /** Where the work stopped and what it kept, for the user and the run record. */
    readonly detail?: string,
  ) {
    super(`stopped by ${signal}${detail ? ` ${detail}` : ""}`);
    this.name = "StopRequested";
  }
}

export interface StopToken {
  /** The signal that asked this work to stop, or null while none has. */
  readonly requested: StopSignal | null;
  /** Called once, on the first stop request (e.g. to interrupt a kernel). */
  onStop(fn: (signal: StopSignal) => void): void;
  /** Throws StopRequested when a stop was asked for. */
  check(): void;
  /** The work is over: later signals no longer concern it. */
  dispose(): void;
}

const tokens = new Set<TokenImpl>();
const cleanups = new Set<() => void>();
let firstSignal: StopSignal | null = null;
let installed = false;
let cleanedUp = false;

class TokenImpl implements StopToken {
  requested: StopSignal | null = null;
  private listeners: ((s: StopSignal) => void)[] = [];
  onStop(fn: (signal: StopSignal) => void): void {
    if (this.requested) fn(this.requested);
    else this.listeners.push(fn);
  }
  check(): void {
    if (this.requested) throw new StopRequested(this.requested);
  }
  dispose(): void {
    tokens.delete(this);
  }
  notify(s: StopSignal): void {
    if (this.requested) return;
    this.requested = s;
    for (const fn of this.listeners.splice(0)) {
      try {
        fn(s);
      } catch (e) {
        process.stderr.write(`warning: while stopping: ${(e as Error).message}\n`);
      }
    }
  }
}

/** Runs the exit cleanups once (they are also run by the process's exit event). */
export function runExitCleanups(): void {
  if (cleanedUp) return;
  cleanedUp = true;
  for (const fn of [...cleanups].reverse()) {
    try {
      fn();
    } catch {
      // A cleanup that fails must not keep the others from running.
    }
  }
  cleanups.clear();
}

function handle(signal: StopSignal): void {
  const kernel = inKernel();
  if (!kernel && firstSignal) {
    process.stderr.write(`\n${signal} again: stopping now\n`);
    exitNow(signal);
    return;
  }
  firstSignal = signal;
  const live = [...tokens];
  if (live.length === 0) {
    if (!kernel) exitNow(signal);
    return;
  }
  if (!kernel) process.stderr.write(`\n${signal}: stopping at the next safe point (the current batch or cell); ${signal === "SIGINT" ? "Ctrl-C" : signal} again stops at once\n`);
  for (const t of live) t.notify(signal);
}

function exitNow(signal: StopSignal): void {
  runExitCleanups();
  process.exit(SIGNAL_EXIT_CODE[signal]);
}

function install(): void {
  if (installed) return;
  installed = true;
  process.on("exit", runExitCleanups);
  if (!inKernel()) {
    for (const s of STOP_SIGNALS) process.on(s, () => handle(s));
    return;
  }
  // In a kernel only SIGINT is watched, beside tslab's own handler (SIGTERM and SIGHUP keep their default). tslab
  // runs a cell's code with vm's breakOnSigint, which swaps SIGINT's handling while the cell's synchronous part
  // runs; a listener added inside that window is lost to the next SIGINT (the kernel dies of it). The listener is
  // added once the synchronous part is over.
  setImmediate(() => process.on("SIGINT", () => handle("SIGINT")));
}

/** A token for work that can stop at a safe point; dispose() it when the work ends. */
export function stopToken(): StopToken {
  install();
  const t = new TokenImpl();
  tokens.add(t);
  return t;
}

/** The first stop signal this process received, or null. The CLI turns it into the exit code. */
export function stopSignalReceived(): StopSignal | null {
  return firstSignal;
}

/** Registers a synchronous cleanup run on any exit, signals included; returns a function that unregisters it. */
export function atExit(fn: () => void): () => void {
  install();
  cleanedUp = false;
  cleanups.add(fn);
  return () => cleanups.delete(fn);
}
