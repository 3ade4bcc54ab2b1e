// Progress for long loops: an updatable bar in a notebook (tslab's newDisplay), plain stderr lines elsewhere.
// Updates are throttled so that a tight loop spends its time on work, not on messages.
import { escapeHtml } from "./display";
import { tslabDisplay } from "../io/kernel-env";

export interface Progress {
  /** Advance by n (default 1); `info` is shown beside the bar (e.g. the current loss). */
  tick(n?: number, info?: string): void;
  /** Set the absolute position. */
  set(done: number, info?: string): void;
  finish(info?: string): void;
}

export interface ProgressOptions {
  /** Minimum milliseconds between updates (default 250 in a notebook, 2000 on stderr). */
  everyMs?: number;
  /** Where plain lines go outside a kernel (default: process.stderr). */
  write?: (line: string) => void;
}

export function progress(total: number, label: string, opts: ProgressOptions = {}): Progress {
  const t = tslabDisplay();
  const start = performance.now();
  let done = 0;
  let last = -Infinity;
  let finished = false;
  let lastDone = -1;
  const everyMs = opts.everyMs ?? (t ? 250 : 2000);
  const disp = t?.newDisplay();
  const write = opts.write ?? ((l: string) => process.stderr.write(l + "\n"));
  const render = (info: string | undefined, force: boolean): void => {
    const now = performance.now();
    if (!force && now - last < everyMs) return;
    // A final render that would repeat the last line adds nothing (unless it brings new info).
    if (force && done === lastDone && info === undefined) return;
    last = now;
    lastDone = done;
    const frac = total > 0 ? Math.min(1, done / total) : 1;
    const secs = (now - start) / 1000;
    const eta = frac > 0 && frac < 1 ? ` · ${((secs / frac) * (1 - frac)).toFixed(0)} s left` : "";
    const text = `${label}: ${done.toLocaleString("en-US")}/${total.toLocaleString("en-US")} (${(frac * 100).toFixed(0)}%) ${secs.toFixed(1)} s${eta}${info ? " · " + info : ""}`;
    if (disp) {
      disp.html(
        `<div class="jtlab-progress"><progress value="${frac}" max="1" style="width:20em"></progress> <code>${escapeHtml(text)}</code></div>`,
      );
    } else write(text);
  };
  return {
    tick(n = 1, info) {
      done += n;
      render(info, false);
    },
    set(d, info) {
      done = d;
      render(info, false);
    },
    finish(info) {
      if (finished) return;
      finished = true;
      done = Math.max(done, total);
      render(info, true);
    },
  };
}
