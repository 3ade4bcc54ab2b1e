// The files a report folder shares in `<out>/assets/`, which linked reports load with a relative <script src>: one
// plotly.js, and for live classifier panels tfjs's browser build, the panel's bundle and one model file per run.
// Written atomically and only when missing or different (size, then bytes), so that re-running a notebook neither
// rewrites megabytes nor leaves a half-written file for a report open in a browser.
import * as fs from "fs";
import * as path from "path";
import { writeFileAtomic } from "../io/atomic";
import { plotlyBundlePath } from "../viz/plotly";

/** Where a linked report expects plotly.js, relative to the report's folder (also its <script src>). */
export const PLOTLY_ASSET = "assets/plotly.min.js";

export interface AssetWrite {
  path: string;
  /** False when the file already held these bytes. */
  written: boolean;
}

/** Puts `bytes` at `<outDir>/<rel>` unless the same bytes are already there. */
export function ensureAsset(outDir: string, rel: string, bytes: Uint8Array | string): AssetWrite {
  const target = path.join(outDir, rel);
  const data = typeof bytes === "string" ? Buffer.from(bytes, "utf8") : bytes;
  // A different size needs no read; an equal one is compared byte for byte (no hashing of either side).
  const old = fs.existsSync(target) ? fs.statSync(target) : null;
  if (old?.isFile() && old.size === data.length && fs.readFileSync(target).equals(data)) {
    return { path: target, written: false };
  }
  fs.mkdirSync(path.dirname(target), { recursive: true });
  writeFileAtomic(target, data);
  return { path: target, written: true };
}

/** Puts plotly.js at `<outDir>/assets/plotly.min.js` unless the same bytes are already there. */
export function ensurePlotlyAsset(outDir: string): AssetWrite {
  return ensureAsset(outDir, PLOTLY_ASSET, fs.readFileSync(plotlyBundlePath()));
}

/** plotly.js as text, for reports that carry it inline. */
export function plotlySource(): string {
  return fs.readFileSync(plotlyBundlePath(), "utf8");
}

/** JavaScript text made safe to sit inside an HTML <script> element ("</script" would end it early). */
export function inlineScriptText(js: string): string {
  return js.replace(/<\/(script)/gi, "<\\/$1");
}
