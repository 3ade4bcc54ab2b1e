// `jtlab data --download`: fills data/cache/ from the official sources named in the data README, for machines
// without ../shared/data. Files are written under their shared names, then checked like any other data folder.
import * as fs from "fs";
import * as path from "path";
import { unzipSync } from "fflate";
import { DATA_FILES, DATASETS } from "./manifest";
import { cacheDir } from "./paths";
import { sha256File } from "../io/integrity";
import { writeFileAtomic } from "../io/atomic";

export interface DownloadOptions {
  dir?: string;
  /** The ONS coding-index workbook URL; the ONS page links a new file name with every version. */
  onsUrl?: string;
  onetUrl?: string;
  meloBaseUrl?: string;
  log?: (msg: string) => void;
  fetchImpl?: (url: string) => Promise<Uint8Array>;
}

export const DEFAULT_ONS_URL =
  "https://www.ons.gov.uk/file?uri=/methodology/classificationsandstandards/standardoccupationalclassificationsoc/" +
  "soc2020/soc2020volume2codingrulesandconventions/soc2020volume2thecodingindexexcel16042025.xlsx";

async function httpGet(url: string): Promise<Uint8Array> {
  let res: Response;
  try {
    res = await fetch(url);
  } catch (e) {
    const cause = (e as { cause?: { code?: string; message?: string } }).cause;
    throw new Error(`download failed: ${url}: ${cause?.code ?? cause?.message ?? (e as Error).message} (no internet access? the data can also come from JTLAB_DATA_DIR or ../shared/data)`);
  }
  if (!res.ok) throw new Error(`download failed: ${url}: HTTP ${res.status}`);
  return new Uint8Array(await res.arrayBuffer());
}

/** O*NET text edition: the zip holds `db_29_3_text/<Name>.txt`; keep the tables the manifest lists. */
export function extractOnet(zip: Uint8Array, outDir: string): string[] {
  const want = new Set(DATA_FILES.filter((f) => f.dataset === "onet-29.3").map((f) => f.names[f.names.length - 1]));
  want.add("Read Me.txt");
  const files = unzipSync(zip, { filter: (f) => want.has(path.posix.basename(f.name)) });
  const written: string[] = [];
  fs.mkdirSync(outDir, { recursive: true });
  for (const [name, data] of Object.entries(files)) {
    const target = path.join(outDir, path.posix.basename(name));
    writeFileAtomic(target, normalizeLineEnds(data));
    written.push(target);
  }
  const missing = [...want].filter((n) => !written.some((w) => path.basename(w) === n));
  if (missing.length) throw new Error(`O*NET zip lacks ${missing.join(", ")}`);
  return written;
}

function normalizeLineEnds(data: Uint8Array): string {
  return Buffer.from(data).toString("utf8").replace(/\r\n/g, "\n");
}

/** ONS workbook: each sheet written as TSV (tabs/newlines in cells become spaces), chosen by its header. */
export function convertOnsWorkbook(xlsx: Uint8Array, outDir: string): string[] {
  // xlsx (SheetJS) is already in the tree through danfojs-node; it is only needed for this conversion.
  // eslint-disable-next-line @typescript-eslint/no-var-requires
  const XLSX = require("xlsx") as typeof import("xlsx");
  const wb = XLSX.read(xlsx, { type: "array" });
  const targets: [string, (firstCells: string) => boolean][] = [
    ["soc2020_coding_index_v12.tsv", (h) => h.startsWith("UNIQUE ID\tRECNO")],
    ["soc2020_framework.tsv", (h) => h.startsWith("Unique ID\tSOC2020 Major Group")],
    ["isco08_framework.tsv", (h) => h.includes("International Labour Organization")],
  ];
  fs.mkdirSync(outDir, { recursive: true });
  const written: string[] = [];
  for (const name of wb.SheetNames) {
    const rows = XLSX.utils.sheet_to_json<unknown[]>(wb.Sheets[name], { header: 1, raw: false, defval: "" });
    const lines = rows.map((r) => r.map((c) => String(c).replace(/[\t\r\n]+/g, " ")).join("\t"));
    const head = lines.slice(0, 2).join("\n");
    const hit = targets.find(([, test]) => test(head));
    if (!hit) continue;
    const target = path.join(outDir, hit[0]);
    writeFileAtomic(target, lines.join("\n") + "\n");
    written.push(target);
  }
  return written;
}

export async function downloadData(opts: DownloadOptions = {}): Promise<void> {
  const dir = opts.dir ?? cacheDir();
  const log = opts.log ?? ((m: string) => process.stderr.write(m + "\n"));
  const get = opts.fetchImpl ?? httpGet;

  log(`O*NET: ${opts.onetUrl ?? DATASETS["onet-29.3"].url}`);
  extractOnet(await get(opts.onetUrl ?? DATASETS["onet-29.3"].url), path.join(dir, "onet-29.3"));

  const onsUrl = opts.onsUrl ?? DEFAULT_ONS_URL;
  log(`ONS: ${onsUrl}`);
  convertOnsWorkbook(await get(onsUrl), path.join(dir, "ons-soc2020"));

  const meloDir = path.join(dir, "melo-usa_q_en_c_en");
  fs.mkdirSync(meloDir, { recursive: true });
  for (const f of DATA_FILES.filter((d) => d.dataset === "melo-usa_q_en_c_en")) {
    const url = (opts.meloBaseUrl ?? DATASETS["melo-usa_q_en_c_en"].url) + f.names[0];
    log(`MELO: ${url}`);
    writeFileAtomic(path.join(meloDir, f.names[0]), await get(url));
  }

  for (const f of DATA_FILES) {
    const p = f.names.map((n) => path.join(dir, f.dataset, n)).find((q) => fs.existsSync(q));
    if (!p) {
      log(`missing after download: ${f.dataset}/${f.names[0]}`);
      continue;
    }
    const ok = sha256File(p) === f.sha256;
    // The text edition's .txt files differ byte-wise from the shared .tsv conversions; the loaders still check
    // headers and row counts, which is what the workbench relies on.
    log(`${ok ? "checksum ok " : "checksum differs from the shared copy"}: ${path.relative(dir, p)}`);
  }
}
