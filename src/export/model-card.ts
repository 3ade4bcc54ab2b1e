// model-card.md for an export, from the run record's own figures: the data and its licenses (data/manifest.ts, as
// the data README states them), the splits, dev / test / MELO metrics under each recorded protocol, the messy titles,
// intended use and known failures. Nothing here is typed by hand per run: a card always shows its run's numbers.
import { CATEGORY_TYPES } from "../core/types";
import { DATASETS, DatasetId } from "../data/manifest";
import type { RunRecord } from "../experiments/registry";
import type { ExportProtocol, Int8Figures } from "./format";

export interface CardInput {
  run: RunRecord;
  served: Record<string, ExportProtocol>;
  splits: { train: number; dev: number; test: number };
  neighbours: { rows: number; subset: boolean } | null;
  int8: Int8Figures | null;
}

const pct = (x: number | undefined): string => (typeof x === "number" ? `${(x * 100).toFixed(1)}%` : "–");
const f3 = (x: number | undefined): string => (typeof x === "number" ? x.toFixed(3) : "–");
const cell = (s: unknown): string => String(s ?? "").replace(/\|/g, "\\|").replace(/\n/g, " ");

type SplitMetrics = Partial<Record<string, { n?: number; accuracy?: number; macroF1?: number; coverage?: number }>>;

function metricsTable(title: string, rows: [string, SplitMetrics | undefined][]): string[] {
  const out = [`### ${title}`, "", "| protocol · split | type | n | accuracy | macro-F1 | coverage |", "|---|---|---:|---:|---:|---:|"];
  for (const [name, m] of rows) {
    for (const type of CATEGORY_TYPES) {
      const x = m?.[type];
      if (x) out.push(`| ${cell(name)} | ${type} | ${x.n ?? "–"} | ${pct(x.accuracy)} | ${f3(x.macroF1)} | ${pct(x.coverage)} |`);
    }
  }
  return [...out, ""];
}

export function modelCard(c: CardInput): string {
  const r = c.run;
  // The record is read loosely: a card shows what the run recorded and a dash for what it did not.
  const m = r.metrics as unknown as Record<string, any>;
  const own = m.protocol ?? "representatives";
  const lines: string[] = [
    `# Model card: ${r.method} (run ${r.id})`,
    "",
    `A Siamese character${r.params.variant === "both" ? " + word" : ""} CNN that maps a job title to a vector; titles are classified into Role, Level and Industry by comparing vectors. Exported by \`jtlab export\` from run \`${r.id}\` (trained ${r.started}, ${r.seconds ?? "?"} s, code ${(r.git.commit ?? "unknown").slice(0, 12)}${r.git.dirty ? " with local changes" : ""}).`,
    "",
    "## Intended use",
    "",
    "Grouping job titles as typed by people (profiles, job posts) into the talk's Role, Level and Industry classes for analytics and search, with a calibrated score and the evidence behind each answer. Not for decisions about individual people (hiring, pay, eligibility): the labels come from occupation tables, not from the people, and the accuracy below is far from perfect.",
    "",
    "## How it answers",
    "",
    ...CATEGORY_TYPES.map((t) => `- ${t}: the **${c.served[t]}** protocol (what \`jtlab classify --run ${r.id}\` uses)${t === "level" ? "; Level always uses the talk's pinned Level groups (representatives), since the data has no Level labels to vote with" : ""}.`),
    `- Representatives: ${r.params.perClass ?? "?"} example titles per class, aggregate ${r.params.aggregate ?? "?"}, threshold ${r.params.threshold ?? "?"}.`,
    c.neighbours ? `- Neighbours: ${c.neighbours.rows.toLocaleString("en-US")} labelled training titles${c.neighbours.subset ? " (a seeded stratified subset: answers may differ from `jtlab classify`)" : ""}, stored as int8 vectors.` : "- Neighbours: not exported.",
    "",
    "## Data",
    "",
    "| source | license | credit |",
    "|---|---|---|",
    ...(Object.keys(DATASETS) as DatasetId[]).map((id) => `| [${cell(DATASETS[id].name)}](${DATASETS[id].url}) | ${cell(DATASETS[id].license)} | ${cell(DATASETS[id].credit)} |`),
    "",
    `Splits (labelled titles, seeded, deduplicated by normalized title): train ${c.splits.train.toLocaleString("en-US")}, dev ${c.splits.dev.toLocaleString("en-US")}, test ${c.splits.test.toLocaleString("en-US")}. Settings and calibration were chosen on dev; test was not used for any choice. Level is scored on the hand-made Level gold set.`,
    "",
    "## Metrics",
    "",
    ...metricsTable("Test", [[own, m.test]]),
    ...metricsTable("Dev, every recorded protocol", [[own, m.dev], ...Object.entries((m.protocols ?? {}) as Record<string, { dev?: SplitMetrics }>).filter(([p]) => p !== own).map(([p, pm]): [string, SplitMetrics | undefined] => [p, pm.dev])]),
  ];
  if (m.melo) lines.push("### MELO (usa_q_en_c_en, ranking)", "", `MAP ${f3(m.melo.map)}, MRR ${f3(m.melo.mrr)}, P@5 ${f3(m.melo.p5)}, R@10 ${f3(m.melo.r10)}, nDCG@10 ${f3(m.melo.ndcg10)}.`, "");
  else lines.push("### MELO", "", "Not measured for this run.", "");
  if (c.int8) {
    lines.push(
      "### int8 neighbour vectors",
      "",
      `Recall@${c.int8.k} of the int8 search against the exact float32 search, on ${c.int8.queries.toLocaleString("en-US")} dev titles: **${pct(c.int8.recallAtK)}** (${c.int8.recallAtK.toFixed(4)}). Similarity error: at most ${c.int8.similarityBound.toExponential(2)} for any title (bound), ${c.int8.measuredMaxError.toExponential(2)} measured.`,
      "",
    );
  }
  lines.push("## Known failures", "");
  if (m.messy) {
    lines.push(
      `On ${m.messy.n} hand-made messy titles (abbreviations, places, shifts, employers, typos, several roles, non-titles, other languages): role ${pct(m.messy.role)}, level ${pct(m.messy.level)}, industry ${pct(m.messy.industry)} right; by kind: ${Object.entries((m.messy.byKind ?? {}) as Record<string, number>).map(([k, v]) => `${k} ${pct(v)}`).join(", ")}.`,
      "",
      "| title | type | expected | answered |",
      "|---|---|---|---|",
      ...((m.messy.failures ?? []) as { title: string; type: string; expected: string; got: string }[]).slice(0, 12).map((f) => `| ${cell(f.title)} | ${f.type} | ${cell(f.expected)} | ${cell(f.got)} |`),
      "",
    );
  }
  const golden = m.test?.golden;
  if (golden?.failures?.length) {
    lines.push(`Golden titles (test): ${golden.passed} of ${golden.total} pass; failures:`, "", ...golden.failures.slice(0, 12).map((f: { title: string; type: string; label: string; got: string }) => `- "${f.title}" (${f.type}): expected ${f.label}, got ${f.got}`), "");
  }
  lines.push("Titles in other languages or scripts, and strings with no job words, are answered Other under the neighbours and head protocols (the gate), but the representatives protocol still ranks classes for them.", "");
  lines.push("## License", "", "The model was trained on the data above: O*NET (CC BY 4.0) requires attribution, the ONS coding index is under the Open Government Licence v3.0 and MELO under MIT. Keep the credits above with any copy of this export.", "");
  return lines.join("\n");
}
