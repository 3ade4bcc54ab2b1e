// `jtlab export --run ID --out DIR`: a Siamese run as a folder a browser page or another process can load
// (src/export/format.ts gives the layout; src/export/classifier.ts answers from it as `jtlab classify` does).
import * as path from "path";
import { loadDatasets } from "../../datasets/build";
import { exportRun } from "../../export/write";
import { CATEGORY_TYPES } from "../../core/types";
import { builtInFixes, countFixes } from "../../taxonomy/fixes";
import { num, parse, UsageError } from "../args";

const USAGE = "jtlab export --run ID --out DIR [--force] [--neighbours N]";

export async function exportCommand(argv: string[]): Promise<void> {
  const { values, positionals } = parse(argv, { run: { type: "string" }, out: { type: "string" }, force: { type: "boolean" }, neighbours: { type: "string" } }, USAGE);
  if (positionals.length) throw new UsageError(`unexpected ${JSON.stringify(positionals[0])}\n\nusage: ${USAGE}`);
  if (!values.run) throw new UsageError(`--run is required\n\nusage: ${USAGE}`);
  if (!values.out) throw new UsageError(`--out is required\n\nusage: ${USAGE}`);
  const n = values.neighbours === undefined ? undefined : num(values.neighbours, "neighbours", 0);
  if (n !== undefined && !(Number.isInteger(n) && n >= 1)) throw new UsageError("--neighbours expects a whole number of at least 1");
  const log = (l: string): void => void process.stderr.write(l + "\n");
  // The export answers as the run does; the taxonomy files' fixes are applied by classify and score only.
  const fixes = builtInFixes();
  const held = CATEGORY_TYPES.filter((t) => countFixes(fixes[t]) > 0).map((t) => `${countFixes(fixes[t])} in ${fixes[t].file}`);
  if (held.length) log(`note: the export does not carry the fixes of jtlab fix (${held.join(", ")}): a fixed title answers as the run does`);
  const { dir, manifest } = await exportRun({ run: values.run, out: path.resolve(values.out), force: values.force, neighbours: n, log }, loadDatasets());
  const int8 = manifest.int8 ? `; int8 recall@${manifest.int8.k} ${manifest.int8.recallAtK.toFixed(4)} on ${manifest.int8.queries} dev titles` : "";
  console.log(`${dir}: run ${manifest.run}, ${(manifest.bytes / 1e6).toFixed(2)} MB, ${Object.keys(manifest.files).length + 1} files${int8}`);
}
