// `jtlab classify`, `jtlab similar`: ask any recorded method about titles. By default each category type is answered
// by the method and protocol that scored best on dev macro-F1 among the runs in the registry; the output says which.
import { CATEGORY_TYPES, Labelled } from "../../core/types";
import { loadDatasets } from "../../datasets/build";
import { buildIndex, encodeTitles } from "../../models/neighbours/vector-index";
import { bestWithVectors, choose, serve, servePerType, Served, taxonomyVectors } from "../../experiments/served";
import { CustomTypeClassifier } from "../../models/representatives/custom-type";
import { FixedBy, FixedLabelled } from "../../experiments/fixed";
import { readTaxonomy, Taxonomy } from "../../taxonomy/taxonomy-file";
import { withLabelledTitles } from "../../taxonomy/labelled-titles";
import { num, parse, UsageError } from "../args";

const quietLog = (l: string): void => {
  if (process.env.JTLAB_VERBOSE) process.stderr.write(l + "\n");
};

const PROTOCOLS = ["representatives", "neighbours", "head", "rules"];
const SERVE_OPTIONS = { method: { type: "string" }, protocol: { type: "string" }, run: { type: "string" } } as const;

export function checkProtocol(p: string | undefined): void {
  if (p !== undefined && !PROTOCOLS.includes(p)) throw new UsageError(`--protocol must be one of ${PROTOCOLS.join(", ")}, got ${JSON.stringify(p)}`);
}

const CLASSIFY_USAGE =
  'jtlab classify "<title>" ["<title>" ...] [--method M] [--protocol representatives|neighbours|head] [--run ID] [--evidence N] [--taxonomy FILE ...] [--threshold T] [--json]';

/**
 * The category types of --taxonomy files, each answered by the title vectors of the run that answers role (or, when
 * that method has none, the best method with title vectors on dev). A file's problems are errors naming its line;
 * its warnings go to stderr.
 */
export async function customTypes(files: readonly string[], served: Record<string, Served>, threshold: number | undefined, log: (line: string) => void): Promise<{ classifier: CustomTypeClassifier; runId: string; method: string; vectors: string }[]> {
  if (!files.length) return [];
  const { similarity: model, choice } = await taxonomyVectors(served, loadDatasets(), quietLog);
  const out = [];
  const names = new Set<string>(CATEGORY_TYPES);
  for (const file of files) {
    const t = withLabelledTitles(readTaxonomy(file));
    for (const w of t.warnings) log(`warning: ${w}`);
    if (names.has(t.name)) throw new UsageError(`${file}: a category type named ${JSON.stringify(t.name)} is already answered${CATEGORY_TYPES.includes(t.name as never) ? " (a built-in type)" : ""}; give the file another name (or a "# name:" line)`);
    names.add(t.name);
    const classifier = await CustomTypeClassifier.create(model, t, { threshold });
    for (const w of unencodableWarnings(t, classifier, model.name)) log(`warning: ${w}`);
    out.push({ classifier, runId: choice.runId, method: choice.method, vectors: model.name });
  }
  return out;
}

/** A warning per example the model cannot encode, naming the file and line it is on. */
export function unencodableWarnings(t: Taxonomy, c: CustomTypeClassifier, model: string): string[] {
  return c.unencodable().map(({ cls, title }) => {
    const line = t.classes.get(cls)?.find((x) => x.title === title)?.line ?? null;
    return `${t.file}${line === null ? "" : `:${line}`}: the ${model} model cannot encode ${JSON.stringify(title)} (its vector is all zeros): it matches no title, so ${JSON.stringify(cls)} is answered without it`;
  });
}

export async function classifyCommand(argv: string[]): Promise<void> {
  const { values, positionals } = parse(
    argv,
    { json: { type: "boolean" }, evidence: { type: "string" }, taxonomy: { type: "string", multiple: true }, threshold: { type: "string" }, ...SERVE_OPTIONS },
    CLASSIFY_USAGE,
  );
  if (positionals.length === 0) throw new UsageError(`give at least one title\n\nusage: ${CLASSIFY_USAGE}`);
  checkProtocol(values.protocol);
  const evidence = num(values.evidence, "evidence", 5);
  if (!Number.isInteger(evidence) || evidence < 0) throw new UsageError("--evidence expects a whole number of at least 0");
  const threshold = values.threshold === undefined ? undefined : num(values.threshold, "threshold", 0.5);
  if (threshold !== undefined && !(threshold >= 0 && threshold <= 1)) throw new UsageError(`--threshold expects a number from 0 to 1, got ${JSON.stringify(values.threshold)}`);
  if (threshold !== undefined && !values.taxonomy?.length) throw new UsageError("--threshold applies to --taxonomy types: give a --taxonomy FILE too");
  const served = await servePerType({ method: values.method, protocol: values.protocol, run: values.run }, loadDatasets(), quietLog);
  const custom = await customTypes(values.taxonomy ?? [], served, threshold, (l) => process.stderr.write(l + "\n"));
  const customAnswers = await Promise.all(custom.map((c) => c.classifier.classify(positionals)));
  const answers: Record<string, Labelled[]> = {};
  for (const type of CATEGORY_TYPES) {
    const p = served[type].predictor;
    if ("evidence" in p) p.evidence = evidence;
    answers[type] = await p.predict(positionals, type);
  }
  const out = positionals.map((title, i) => {
    const row: Record<string, unknown> = { title };
    for (const type of CATEGORY_TYPES) {
      const a = answers[type][i];
      const c = served[type].choice;
      row[type] = {
        label: a.label,
        score: Math.round(a.score * 10000) / 10000,
        ...(a.best && a.best !== a.label ? { best: a.best } : {}),
        ...(a.abstained ? { abstained: a.abstained } : {}),
        ...(a.cleaned ? { read_as: a.cleaned } : {}),
        ...((a as FixedLabelled).fixedBy ? { fixed_by: (a as FixedLabelled).fixedBy } : {}),
        run: c.runId,
        method: c.method,
        protocol: c.protocol,
        evidence: a.evidence ?? [],
      };
    }
    custom.forEach((c, k) => {
      const a = customAnswers[k][i];
      row[c.classifier.set.name] = {
        label: a.label,
        score: Math.round(a.score * 10000) / 10000,
        ...(a.best !== a.label ? { best: a.best } : {}),
        nearest: { title: a.nearest.title, similarity: Math.round(a.nearest.similarity * 10000) / 10000 },
        ...(a.pinned ? { pinned: true } : {}),
        run: c.runId,
        method: c.method,
        vectors: c.vectors,
        protocol: c.classifier.protocol === "neighbours" ? "taxonomy-neighbours" : "taxonomy",
      };
    });
    return row;
  });
  if (values.json) {
    console.log(JSON.stringify(out));
    return;
  }
  for (const r of out) {
    console.log(JSON.stringify(r.title));
    for (const type of CATEGORY_TYPES) {
      const a = r[type] as { label: string; score: number; best?: string; abstained?: string; read_as?: string; fixed_by?: FixedBy; method: string; protocol: string; run: string; evidence: { title: string; label: string; similarity: number }[] };
      const f = a.fixed_by;
      const why = a.abstained ? ` — ${a.abstained}` : a.best ? ` (best guess ${a.best}, below the operating point)` : "";
      const fixed = f ? `   [${f.kind === "pin" ? "pinned" : `fixed by the example ${JSON.stringify(f.title)}`} in ${f.file}${f.line === null ? "" : `:${f.line}`} by ${f.by}: ${f.why}]` : "";
      if (a.read_as && type === "role") console.log(`  read as   ${JSON.stringify(a.read_as)}`);
      console.log(`  ${type.padEnd(9)} ${a.label}  ${a.score.toFixed(3)}${why}   [${a.method} · ${a.protocol}, run ${a.run}]${fixed}`);
      for (const e of a.evidence.slice(0, 3)) console.log(`            ${e.similarity.toFixed(3)}  ${e.title}  → ${e.label}`);
    }
    for (const c of custom) {
      const a = r[c.classifier.set.name] as { label: string; score: number; best?: string; nearest: { title: string; similarity: number } };
      const why = a.best ? ` (best guess ${a.best}, below the threshold ${c.classifier.threshold})` : "";
      console.log(`  ${c.classifier.set.name}: ${a.label}  ${a.score.toFixed(3)}${why}   [${c.vectors} vectors of run ${c.runId} (${c.method}) · ${c.classifier.protocol === "neighbours" ? "a vote of the file's examples and labelled titles" : "the file's examples"}]`);
      if (a.nearest.title) console.log(`            ${a.nearest.similarity.toFixed(3)}  nearest example ${JSON.stringify(a.nearest.title)}`);
    }
  }
}

const SIMILAR_USAGE = 'jtlab similar "<title>" [-k 10] [--method M] [--run ID] [--protocol P] [--json]';

export async function similarCommand(argv: string[]): Promise<void> {
  const { values, positionals } = parse(argv, { k: { type: "string", short: "k" }, json: { type: "boolean" }, ...SERVE_OPTIONS }, SIMILAR_USAGE);
  if (positionals.length !== 1) throw new UsageError(`give one title\n\nusage: ${SIMILAR_USAGE}`);
  checkProtocol(values.protocol);
  const k = num(values.k, "k", 10);
  if (!Number.isInteger(k) || k < 1) throw new UsageError("-k expects a whole number of at least 1");
  const d = loadDatasets();
  // Only methods with title vectors can say which titles are near: the best of those on dev unless one is named.
  const c = values.run || values.method ? choose("role", { method: values.method, run: values.run }) : bestWithVectorsOrUsage();
  const s = await serve({ ...c, protocol: "representatives" }, d, quietLog);
  if (!s.similarity) throw new UsageError(`method ${c.method} has no title vectors to compare titles with; try --method char-tfidf or a Siamese run`);
  const titles = d.train.map((t) => t.title);
  const index = buildIndex(await encodeTitles(s.similarity, titles));
  const hits = await index.search(await s.similarity.encode([positionals[0]]), k);
  const out = [];
  for (let j = 0; j < k; j++) {
    const r = hits.indices[j];
    if (r < 0) break;
    out.push({ title: titles[r], similarity: Math.round(hits.scores[j] * 10000) / 10000, role: d.train[r].role, industry: d.train[r].industry });
  }
  if (values.json) console.log(JSON.stringify({ run: c.runId, method: c.method, neighbours: out }));
  else {
    console.log(`nearest labelled training titles by ${c.method} (run ${c.runId}), cosine:`);
    for (const h of out) console.log(`${h.similarity.toFixed(3)}  ${h.title}  [${h.role ?? "-"} · ${h.industry ?? "-"}]`);
  }
}


/** bestWithVectors, its "nothing to answer with" as a usage error. */
function bestWithVectorsOrUsage(): ReturnType<typeof bestWithVectors> {
  try {
    return bestWithVectors();
  } catch (e) {
    throw new UsageError((e as Error).message);
  }
}
