// The one copy of plotly.js a report folder shares: `<out>/assets/plotly.min.js`, which linked reports load with a
// relative <script src>. Written atomically and only when missing or different (by SHA-256), so that re-running a
// notebook neither rewrites 4.8 MB nor leaves a half-written file for a report open in a browser.
import * as crypto from "crypto";
import * as fs from "fs";
import * as path from "path";
import { writeFileAtomic } from "../io/atomic";
import { plotlyBundlePath } from "../viz/plotly";

/** Where a linked report expects plotly.js, relative to the report's folder (also its <script src>). */
export const PLOTLY_ASSET = "assets/plotly.min.js";

function sha256(data: Uint8Array): string {
  return crypto.createHash("sha256").update(data).digest("hex");
}

export interface AssetWrite {
  path: string;
  /** False when the file already held these bytes. */
  written: boolean;
}

/** Puts plotly.js at `<outDir>/assets/plotly.min.js` unless the same bytes are already there. */
export function ensurePlotlyAsset(outDir: string): AssetWrite {
  const target = path.join(outDir, PLOTLY_ASSET);
  const bundle = fs.readFileSync(plotlyBundlePath());
  if (fs.existsSync(target) && fs.statSync(target).isFile() && sha256(fs.readFileSync(target)) === sha256(bundle)) {
    return { path: target, written: false };
  }
  fs.mkdirSync(path.dirname(target), { recursive: true });
  writeFileAtomic(target, bundle);
  return { path: target, written: true };
}

/** plotly.js as text, for reports that carry it inline. */
export function plotlySource(): string {
  return fs.readFileSync(plotlyBundlePath(), "utf8");
}

/** JavaScript text made safe to sit inside an HTML <script> element ("</script" would end it early). */
export function inlineScriptText(js: string): string {
  return js.replace(/<\/(script)/gi, "<\\/$1");
}
