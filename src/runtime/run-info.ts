// A notebook tells `jtlab run` facts about itself — the tfjs backend that ran, its headline metrics — through a
// display of its own MIME type. The runner collects them into the executed notebook's metadata and the report's
// header and index; the renderer never shows the raw message.
import { tslabDisplay, underRunner } from "../io/kernel-env";

export const RUN_INFO_MIME = "application/vnd.jtlab.run-info+json";

export interface RunInfo {
  backend?: string;
  /** Headline metrics for reports/index.html, e.g. { "role accuracy": 0.71 }. */
  metrics?: Record<string, number | string>;
  [key: string]: unknown;
}

export function reportRunInfo(info: RunInfo): void {
  const t = tslabDisplay();
  if (t && underRunner()) t.display.raw(RUN_INFO_MIME, JSON.stringify(info));
}

/** Merges run-info messages: later keys win, metrics accumulate. */
export function mergeRunInfo(a: RunInfo, b: RunInfo): RunInfo {
  return { ...a, ...b, metrics: { ...(a.metrics ?? {}), ...(b.metrics ?? {}) } };
}
