// `jtlab report bundle <report.html> [--out FILE] [--force]`: one offline HTML file of a report (plotly.js and any
// other file it loads put inside it) for mailing. The default output is <name>.bundle.html beside the report; an
// existing file is replaced only with --force.
import * as path from "path";
import { bundleReport } from "../../report/bundle";
import { parse, UsageError } from "../args";

const USAGE = "jtlab report bundle <report.html> [--out FILE] [--force]";

export async function reportCommand(argv: string[]): Promise<void> {
  const [sub, ...rest] = argv;
  const { values, positionals } = parse(rest, { out: { type: "string" }, force: { type: "boolean" } }, USAGE);
  if (sub !== "bundle") throw new UsageError(`${sub === undefined ? "name a subcommand" : `unknown subcommand ${JSON.stringify(sub)}`}\n\nusage: ${USAGE}`);
  if (positionals.length !== 1) throw new UsageError(`name one report\n\nusage: ${USAGE}`);
  const r = bundleReport(positionals[0], { out: values.out, force: values.force === true });
  const rel = path.relative(process.cwd(), r.out);
  const shown = rel.startsWith("..") || path.isAbsolute(rel) ? r.out : rel;
  const inlined = r.inlined.length ? `${r.inlined.length} file(s) inlined: ${r.inlined.join(", ")}` : "it was already self-contained";
  console.log(`${shown} (${(r.bytes / 1e6).toFixed(1)} MB, ${inlined})`);
  for (const url of r.remote) console.error(`warning: ${url} stays a link and will not load offline`);
}
