// Runs a Python reference implementation from ../shared/peers side by side with ours, for speed ratios.
// Peers need Debian's python3-sklearn / python3-gensim / python3-torch and run under /usr/bin/python3.
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as path from "path";
import { projectRoot } from "../data/paths";

export const PEER_PYTHON = process.env.JTLAB_PEER_PYTHON ?? "/usr/bin/python3";

export function peersDir(): string {
  return process.env.JTLAB_PEERS_DIR ?? path.resolve(projectRoot(), "..", "shared", "peers");
}

export interface PeerRun {
  ok: boolean;
  seconds: number;
  stdout: string;
  /** Why the peer could not run (missing script, interpreter or package). */
  reason?: string;
}

export function runPeer(script: string, args: string[], timeoutMs = 600_000): PeerRun {
  const file = path.join(peersDir(), script);
  if (!fs.existsSync(file)) return { ok: false, seconds: 0, stdout: "", reason: `peer script not found: ${file}` };
  if (!fs.existsSync(PEER_PYTHON)) return { ok: false, seconds: 0, stdout: "", reason: `${PEER_PYTHON} not found` };
  const t0 = performance.now();
  const r = spawnSync(PEER_PYTHON, [file, ...args], { encoding: "utf8", timeout: timeoutMs });
  const seconds = (performance.now() - t0) / 1000;
  if (r.status !== 0) {
    const err = (r.stderr || String(r.error ?? "")).trim().split("\n").slice(-1)[0];
    return { ok: false, seconds, stdout: r.stdout ?? "", reason: `peer failed: ${err} (install python3-sklearn python3-gensim python3-torch from Debian)` };
  }
  return { ok: true, seconds, stdout: r.stdout };
}
