// `jtlab report bundle`: a linked report made into one offline file. Every local file the report loads (scripts,
// stylesheets, images) is read from beside the report and put inside it; remote addresses are left as they are and
// listed, since an offline reader will not see them.
import * as fs from "fs";
import * as path from "path";
import { writeFileAtomic } from "../io/atomic";
import { inlineScriptText } from "./assets";
import { REPORT_GENERATOR } from "./html";

export class BundleError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "BundleError";
  }
}

export interface BundleOptions {
  /** Where to write; default <name>.bundle.html beside the report. */
  out?: string;
  /** Replace an existing output file. */
  force?: boolean;
}

export interface BundleResult {
  out: string;
  bytes: number;
  /** The local files put inside, as the report named them. */
  inlined: string[];
  /** Remote addresses left as links (an offline reader will not see them). */
  remote: string[];
}

const IMAGE_TYPES: Record<string, string> = {
  ".png": "image/png",
  ".jpg": "image/jpeg",
  ".jpeg": "image/jpeg",
  ".gif": "image/gif",
  ".svg": "image/svg+xml",
  ".webp": "image/webp",
};

export function defaultBundlePath(report: string): string {
  return path.join(path.dirname(report), `${path.basename(report).replace(/\.html?$/i, "")}.bundle.html`);
}

/** Older reports have no generator mark but end their title so. */
function isJtlabReport(html: string): boolean {
  return html.includes(`<meta name="generator" content="${REPORT_GENERATOR}">`) || /<title>[^<]* — Job Title Lab<\/title>/.test(html);
}

const isRemote = (ref: string): boolean => /^[a-z][a-z0-9+.-]*:|^\/\//i.test(ref);

function decodeAttr(v: string): string {
  return v.replace(/&quot;/g, '"').replace(/&#39;/g, "'").replace(/&lt;/g, "<").replace(/&gt;/g, ">").replace(/&amp;/g, "&");
}

/** Reads what `ref` (as written in the report) names beside the report; a missing file is a BundleError. */
function readLinked(report: string, ref: string): Buffer {
  const rel = decodeURIComponent(decodeAttr(ref).split(/[?#]/)[0]);
  const file = path.resolve(path.dirname(report), rel);
  if (!fs.existsSync(file) || !fs.statSync(file).isFile()) {
    throw new BundleError(
      `${report} loads ${rel}, which is missing (expected at ${file}); copy the report's ${path.dirname(rel) === "." ? rel : path.dirname(rel) + "/"} ` +
        `beside it, or make the report again with --self-contained`,
    );
  }
  return fs.readFileSync(file);
}

/** Inlines one <script src>, leaving inline scripts and remote ones as they are. */
function inlineScript(element: string, report: string, result: BundleResult): string {
  const open = /^<script\b([^>]*)>/i.exec(element);
  const src = open && /\ssrc="([^"]*)"/i.exec(open[1]);
  if (!open || !src) return element;
  if (isRemote(src[1])) {
    result.remote.push(decodeAttr(src[1]));
    return element;
  }
  const attrs = open[1].replace(src[0], "");
  result.inlined.push(decodeAttr(src[1]));
  return `<script${attrs}>${inlineScriptText(readLinked(report, src[1]).toString("utf8"))}</script>`;
}

/** Inlines <img src> and <link rel="stylesheet" href> in markup outside script elements. */
function inlineMarkup(html: string, report: string, result: BundleResult): string {
  const images = html.replace(/(<img\b[^>]*?\ssrc=")([^"]*)(")/gi, (whole, pre: string, ref: string, post: string) => {
    if (ref.startsWith("data:")) return whole;
    if (isRemote(ref)) {
      result.remote.push(decodeAttr(ref));
      return whole;
    }
    const type = IMAGE_TYPES[path.extname(decodeAttr(ref).split(/[?#]/)[0]).toLowerCase()] ?? "application/octet-stream";
    result.inlined.push(decodeAttr(ref));
    return `${pre}data:${type};base64,${readLinked(report, ref).toString("base64")}${post}`;
  });
  return images.replace(/<link\b[^>]*>/gi, (tag) => {
    const href = /\shref="([^"]*)"/i.exec(tag);
    if (!/\srel="stylesheet"/i.test(tag) || !href) return tag;
    if (isRemote(href[1])) {
      result.remote.push(decodeAttr(href[1]));
      return tag;
    }
    result.inlined.push(decodeAttr(href[1]));
    return `<style>${readLinked(report, href[1]).toString("utf8").replace(/<\/(style)/gi, "<\\/$1")}</style>`;
  });
}

/** The report's HTML with every local file it loads inside it. */
export function bundleHtml(html: string, report: string, result: BundleResult): string {
  // Script elements are handled whole, so that text inside a script (figure JSON) is never taken for markup.
  return html
    .split(/(<script\b[^>]*>[\s\S]*?<\/script>)/i)
    .map((part, i) => (i % 2 === 1 ? inlineScript(part, report, result) : inlineMarkup(part, report, result)))
    .join("");
}

/** Writes a self-contained copy of `report` (default <name>.bundle.html beside it). */
export function bundleReport(report: string, opts: BundleOptions = {}): BundleResult {
  const file = path.resolve(report);
  if (!fs.existsSync(file)) throw new BundleError(`${report}: no such file`);
  if (!fs.statSync(file).isFile()) throw new BundleError(`${report}: not a file`);
  const html = fs.readFileSync(file, "utf8");
  if (!isJtlabReport(html)) throw new BundleError(`${report}: not a jtlab report (made by \`jtlab run\` or \`jtlab reproduce\`)`);
  const out = path.resolve(opts.out ?? defaultBundlePath(file));
  if (fs.existsSync(out) && !opts.force) throw new BundleError(`${out} already exists; pass --force to replace it, or --out another file`);
  if (!fs.existsSync(path.dirname(out))) throw new BundleError(`${path.dirname(out)}: no such folder for --out`);
  const result: BundleResult = { out, bytes: 0, inlined: [], remote: [] };
  const bundled = bundleHtml(html, file, result);
  writeFileAtomic(out, bundled);
  result.bytes = Buffer.byteLength(bundled);
  return result;
}
