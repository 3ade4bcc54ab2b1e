// A Jupyter client for the tslab kernel, speaking the Jupyter messaging protocol (v5.3) over ZeroMQ as Jupyter's
// own clients do: a connection file with fresh ports and a random HMAC-SHA256 key, the kernel bound to 127.0.0.1,
// requests on the shell channel, outputs on iopub. Nothing here reaches into tslab's internals.
//
// The client owns its kernel. tslab runs under a tiny node wrapper that leads its own process group (and session,
// so a terminal's Ctrl-C reaches jtlab, not the kernel); the wrapper forwards SIGINT (Jupyter's interrupt) to tslab
// and kills the whole group when the pipe on its stdin closes — which happens when this process exits in any way,
// SIGKILL included, so a kernel never outlives the jtlab that started it. shutdown() asks politely on the control
// channel, then kills the group; an exit cleanup kills it synchronously and removes the connection folder when this
// process is stopped or crashes first.
import { ChildProcess, spawn } from "child_process";
import * as crypto from "crypto";
import * as fs from "fs";
import * as net from "net";
import * as os from "os";
import * as path from "path";
import * as zmq from "zeromq";
import { projectRoot } from "../data/paths";
import { atExit, StopRequested, StopSignal } from "../io/signals";
import { Output, OutputCollector } from "./messages";

const DELIM = Buffer.from("<IDS|MSG>");

export interface Header {
  msg_id: string;
  msg_type: string;
  session: string;
  username: string;
  date: string;
  version: string;
}

export interface Message {
  header: Header;
  parent_header: Partial<Header>;
  metadata: Record<string, unknown>;
  content: any;
}

export interface ExecuteResult {
  /** "interrupted": the caller's abort signal ended the wait before the kernel replied. */
  status: "ok" | "error" | "abort" | "timeout" | "interrupted";
  executionCount: number | null;
  outputs: Output[];
  seconds: number;
}

export interface KernelOptions {
  cwd?: string;
  env?: NodeJS.ProcessEnv;
  /** Seconds to wait for the kernel to answer its first request. */
  startTimeout?: number;
}

/**
 * The wrapper tslab runs under (node -e WRAPPER tslab-script args...). It is the process-group leader: SIGINT is
 * passed on to tslab; SIGTERM, SIGHUP or the end of stdin (the parent is gone) SIGKILL tslab and then the rest of the
 * group, since a kernel stuck in a loop cannot run a signal handler of its own. On its way out it removes the
 * connection folder (when the parent is gone nobody else will).
 */
const WRAPPER = `
const { spawn } = require("child_process");
const [script, ...args] = process.argv.slice(1);
const child = spawn(process.execPath, [script, ...args], { stdio: ["ignore", "inherit", "inherit"] });
const config = args[args.indexOf("--config-path") + 1] || "";
let dying = false;
const killAll = () => {
  try { process.kill(-process.pid, "SIGKILL"); } catch (e) {}
  process.exit(137);
};
// tslab first, so that this process reaps it; then whatever else is left in the group, this process included.
const killGroup = () => {
  if (dying) return;
  dying = true;
  const dir = require("path").dirname(config);
  if (/^jtlab-kernel-/.test(require("path").basename(dir))) try { require("fs").rmSync(dir, { recursive: true, force: true }); } catch (e) {}
  if (child.exitCode !== null || child.signalCode !== null) killAll();
  try { child.kill("SIGKILL"); } catch (e) {}
  setTimeout(killAll, 1000);
};
process.on("SIGINT", () => { try { child.kill("SIGINT"); } catch (e) {} });
process.on("SIGTERM", killGroup);
process.on("SIGHUP", killGroup);
process.stdin.on("end", killGroup);
process.stdin.on("close", killGroup);
process.stdin.on("error", killGroup);
process.stdin.resume();
child.on("error", (e) => { console.error(String(e)); process.exit(1); });
child.on("exit", (code, signal) => {
  if (dying) killAll();
  process.exit(code === null ? 128 + (require("os").constants.signals[signal] || 0) : code);
});
`;

/** Sends `signal` to every process of the group led by `pgid`; false when none is left. */
export function killProcessGroup(pgid: number, signal: NodeJS.Signals = "SIGKILL"): boolean {
  if (!Number.isInteger(pgid) || pgid <= 1) return false;
  try {
    process.kill(-pgid, signal);
    return true;
  } catch {
    return false;
  }
}

async function freePorts(n: number): Promise<number[]> {
  // Ports are reserved by binding, then released for the kernel to bind: the same race Jupyter itself accepts.
  const servers = await Promise.all(
    Array.from({ length: n }, () => new Promise<net.Server>((resolve, reject) => {
      const s = net.createServer();
      s.on("error", reject);
      s.listen(0, "127.0.0.1", () => resolve(s));
    })),
  );
  const ports = servers.map((s) => (s.address() as net.AddressInfo).port);
  await Promise.all(servers.map((s) => new Promise((r) => s.close(r))));
  return ports;
}

export class KernelClient {
  private proc?: ChildProcess;
  private shell?: zmq.Dealer;
  private iopub?: zmq.Subscriber;
  private control?: zmq.Dealer;
  private key = "";
  private readonly session = crypto.randomUUID();
  private connectionFile = "";
  private pending = new Map<string, (m: Message) => void>();
  private iopubHandlers = new Map<string, (m: Message) => void>();
  private exited: { code: number | null; signal: string | null } | null = null;
  private kernelStderr = "";
  private startCancelled: StopSignal | null = null;
  private forgetExitCleanup: (() => void) | null = null;
  /** Seconds from spawn to the first kernel_info reply. */
  startupSeconds = 0;
  /** The kernel's process group (the wrapper's pid), 0 before start(). */
  pgid = 0;

  constructor(private readonly opts: KernelOptions = {}) {}

  async start(): Promise<void> {
    const t0 = performance.now();
    const [shell, iopub, stdin, control, hb] = await freePorts(5);
    this.key = crypto.randomBytes(32).toString("hex");
    const conn = {
      ip: "127.0.0.1",
      transport: "tcp",
      signature_scheme: "hmac-sha256",
      key: this.key,
      shell_port: shell,
      iopub_port: iopub,
      stdin_port: stdin,
      control_port: control,
      hb_port: hb,
      kernel_name: "jtlab",
    };
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "jtlab-kernel-"));
    this.connectionFile = path.join(dir, "connection.json");
    fs.writeFileSync(this.connectionFile, JSON.stringify(conn), { mode: 0o600 });

    const root = projectRoot();
    const tslab = path.join(root, "node_modules", "tslab", "bin", "tslab");
    // Whatever happens to this process from here on, the kernel's group and its folder go with it.
    this.forgetExitCleanup = atExit(() => {
      if (this.pgid) killProcessGroup(this.pgid, "SIGKILL");
      fs.rmSync(dir, { recursive: true, force: true });
    });
    this.proc = spawn(process.execPath, ["-e", WRAPPER, tslab, "kernel", "--config-path", this.connectionFile], {
      cwd: this.opts.cwd ?? root,
      env: { ...process.env, ...this.opts.env },
      stdio: ["pipe", "pipe", "pipe"],
      detached: true,
    });
    this.pgid = this.proc.pid ?? 0;
    // The stdin pipe is never written: its end is how the wrapper learns that this process is gone.
    this.proc.stdin!.on("error", () => undefined);
    this.proc.on("error", (e) => (this.kernelStderr += `${e.message}\n`));
    this.proc.stdout!.on("data", (d: Buffer) => (this.kernelStderr += d.toString()));
    this.proc.stderr!.on("data", (d: Buffer) => (this.kernelStderr += d.toString()));
    this.proc.on("exit", (code, signal) => {
      this.exited = { code, signal };
      const err = { header: { msg_type: "kernel_died" } } as Message;
      for (const cb of this.pending.values()) cb(err);
      for (const cb of this.iopubHandlers.values()) cb(err);
    });

    this.shell = new zmq.Dealer();
    this.control = new zmq.Dealer();
    this.iopub = new zmq.Subscriber();
    this.shell.connect(`tcp://127.0.0.1:${shell}`);
    this.control.connect(`tcp://127.0.0.1:${control}`);
    this.iopub.connect(`tcp://127.0.0.1:${iopub}`);
    this.iopub.subscribe();
    void this.pump(this.shell, (m) => this.pending.get(m.parent_header.msg_id ?? "")?.(m));
    void this.pump(this.iopub, (m) => this.iopubHandlers.get(m.parent_header.msg_id ?? "")?.(m));

    // A subscriber misses what is published before it has joined: ask for kernel_info until its status
    // messages arrive on iopub, as jupyter_client's wait_for_ready does.
    const deadline = performance.now() + (this.opts.startTimeout ?? 120) * 1000;
    for (;;) {
      if (this.startCancelled) throw new StopRequested(this.startCancelled);
      if (this.exited) throw new Error(`the tslab kernel exited during start-up (${this.describeExit()})\n${this.kernelStderr.trim()}`);
      if (performance.now() > deadline) throw new Error(`the tslab kernel did not answer within ${this.opts.startTimeout ?? 120} s`);
      const ok = await this.tryKernelInfo(1000);
      if (ok) break;
    }
    this.startupSeconds = (performance.now() - t0) / 1000;
  }

  /** The kernel's connection file (its folder is removed by shutdown()). */
  get connectionPath(): string {
    return this.connectionFile;
  }

  /** Makes a start() in progress give up (it throws StopRequested) at its next check, within a second. */
  cancelStart(signal: StopSignal = "SIGINT"): void {
    this.startCancelled = signal;
  }

  private describeExit(): string {
    return this.exited ? `code ${this.exited.code}, signal ${this.exited.signal}` : "running";
  }

  private async tryKernelInfo(waitMs: number): Promise<boolean> {
    const msg = this.message("kernel_info_request", {});
    let sawIopub = false;
    let sawReply = false;
    const done = new Promise<boolean>((resolve) => {
      const timer = setTimeout(() => resolve(false), waitMs);
      const check = (): void => {
        if (sawIopub && sawReply) {
          clearTimeout(timer);
          resolve(true);
        }
      };
      this.iopubHandlers.set(msg.header.msg_id, () => {
        sawIopub = true;
        check();
      });
      this.pending.set(msg.header.msg_id, (m) => {
        sawReply = m.header.msg_type === "kernel_info_reply";
        check();
      });
    });
    await this.send(this.shell!, msg);
    const ok = await done;
    this.iopubHandlers.delete(msg.header.msg_id);
    this.pending.delete(msg.header.msg_id);
    return ok;
  }

  private message(type: string, content: unknown): Message {
    return {
      header: {
        msg_id: crypto.randomUUID(),
        msg_type: type,
        session: this.session,
        username: "jtlab",
        date: new Date().toISOString(),
        version: "5.3",
      },
      parent_header: {},
      metadata: {},
      content,
    };
  }

  private sign(parts: string[]): string {
    const h = crypto.createHmac("sha256", this.key);
    for (const p of parts) h.update(p);
    return h.digest("hex");
  }

  private async send(sock: zmq.Dealer, m: Message): Promise<void> {
    const parts = [JSON.stringify(m.header), JSON.stringify(m.parent_header), JSON.stringify(m.metadata), JSON.stringify(m.content)];
    await sock.send([DELIM, this.sign(parts), ...parts]);
  }

  private async pump(sock: zmq.Dealer | zmq.Subscriber, handle: (m: Message) => void): Promise<void> {
    try {
      for await (const frames of sock) {
        const i = frames.findIndex((f) => f.equals(DELIM));
        if (i < 0) continue;
        const [hmac, ...parts] = frames.slice(i + 1).map((f) => f.toString("utf8"));
        const body = parts.slice(0, 4);
        const want = this.sign(body);
        // A message that fails the signature check is dropped, as Jupyter's clients do.
        if (hmac.length !== want.length || !crypto.timingSafeEqual(Buffer.from(hmac), Buffer.from(want))) continue;
        handle({
          header: JSON.parse(body[0]),
          parent_header: JSON.parse(body[1]),
          metadata: JSON.parse(body[2]),
          content: JSON.parse(body[3]),
        });
      }
    } catch {
      // The socket was closed.
    }
  }

  /**
   * Executes one cell. Resolves when the kernel has replied on shell and gone idle on iopub for this request.
   * `onOutput` sees each output as it arrives (for live progress in the terminal).
   */
  async execute(code: string, opts: { timeoutSeconds?: number; onOutput?: (o: Output) => void; abort?: AbortSignal } = {}): Promise<ExecuteResult> {
    if (!this.shell) throw new Error("kernel not started");
    if (this.exited) throw new Error(`the tslab kernel has exited (${this.describeExit()})`);
    const msg = this.message("execute_request", {
      code,
      silent: false,
      store_history: true,
      user_expressions: {},
      allow_stdin: false,
      stop_on_error: true,
    });
    const collector = new OutputCollector(opts.onOutput);
    const t0 = performance.now();
    let reply: Message | undefined;
    let idle = false;
    let died = false;
    const result = new Promise<void>((resolve) => {
      const check = (): void => {
        if ((reply && idle) || died) resolve();
      };
      this.pending.set(msg.header.msg_id, (m) => {
        if (m.header.msg_type === "kernel_died") died = true;
        else reply = m;
        check();
      });
      this.iopubHandlers.set(msg.header.msg_id, (m) => {
        if (m.header.msg_type === "kernel_died") died = true;
        else if (m.header.msg_type === "status" && m.content.execution_state === "idle") idle = true;
        else collector.handle(m);
        check();
      });
    });
    await this.send(this.shell, msg);
    let timedOut = false;
    let timer: NodeJS.Timeout | undefined;
    const timeout = opts.timeoutSeconds
      ? new Promise<void>((resolve) => {
          timer = setTimeout(() => {
            timedOut = true;
            resolve();
          }, opts.timeoutSeconds! * 1000);
        })
      : new Promise<void>(() => undefined);
    // The caller stops waiting (a stopped run whose cell did not answer the interrupt): what arrived is kept.
    let aborted = false;
    let onAbort: (() => void) | undefined;
    const abort = new Promise<void>((resolve) => {
      if (!opts.abort) return;
      onAbort = (): void => {
        aborted = true;
        resolve();
      };
      if (opts.abort.aborted) onAbort();
      else opts.abort.addEventListener("abort", onAbort, { once: true });
    });
    await Promise.race([result, timeout, abort]);
    if (timer) clearTimeout(timer);
    if (onAbort) opts.abort?.removeEventListener("abort", onAbort);
    this.pending.delete(msg.header.msg_id);
    this.iopubHandlers.delete(msg.header.msg_id);
    const seconds = (performance.now() - t0) / 1000;
    const outputs = [...collector.outputs];
    if (timedOut) return { status: "timeout", executionCount: null, outputs, seconds };
    if (aborted && !(reply && idle)) return { status: "interrupted", executionCount: reply?.content.execution_count ?? null, outputs, seconds };
    if (died) {
      outputs.push({ output_type: "stream", name: "stderr", text: `\n[the kernel died: ${this.describeExit()}]\n${this.kernelStderr.slice(-2000)}` });
      return { status: "error", executionCount: null, outputs, seconds };
    }
    const status = reply!.content.status as ExecuteResult["status"];
    for (const o of outputs) if (o.output_type === "execute_result") o.execution_count = reply!.content.execution_count ?? null;
    return { status, executionCount: reply!.content.execution_count ?? null, outputs, seconds };
  }

  /** Waits up to `ms` for the kernel (the wrapper) to exit; true when it has. */
  private waitExit(ms: number): Promise<boolean> {
    if (!this.proc || this.exited) return Promise.resolve(true);
    return new Promise<boolean>((resolve) => {
      const t = setTimeout(() => resolve(false), ms);
      this.proc!.once("exit", () => {
        clearTimeout(t);
        resolve(true);
      });
    });
  }

  /**
   * Asks the kernel to shut down (shutdown_request on control), gives it `graceSeconds` to exit, then kills its
   * whole process group (whatever the notebook started goes too) and removes the connection folder.
   */
  async shutdown(opts: { graceSeconds?: number } = {}): Promise<void> {
    const grace = (opts.graceSeconds ?? 2) * 1000;
    if (this.proc && !this.exited && this.control) {
      try {
        await this.send(this.control, this.message("shutdown_request", { restart: false }));
      } catch {
        // The socket may already be closed.
      }
      await this.waitExit(grace);
    }
    // The wrapper kills tslab (and reaps it), then the rest of the group; the group kill after it is a backstop.
    if (this.proc && !this.exited) {
      try {
        this.proc.kill("SIGTERM");
      } catch {
        // Gone already.
      }
      await this.waitExit(2000);
    }
    if (this.pgid) killProcessGroup(this.pgid, "SIGKILL");
    this.proc?.stdin?.destroy();
    for (const s of [this.shell, this.iopub, this.control]) s?.close();
    if (this.connectionFile) fs.rmSync(path.dirname(this.connectionFile), { recursive: true, force: true });
    this.forgetExitCleanup?.();
    this.forgetExitCleanup = null;
  }

  /** True once the kernel process has exited. */
  get hasExited(): boolean {
    return this.exited !== null;
  }

  /** Interrupts the running cell (SIGINT, as Jupyter does for kernels with interrupt_mode "signal"). */
  interrupt(): void {
    if (!this.proc || this.exited) return;
    try {
      // The wrapper passes it on to tslab, whose handler rejects the running cell's promise.
      this.proc.kill("SIGINT");
    } catch {
      // Already gone.
    }
  }
}
