// Loaders for ranking benchmarks in MELO's file format (queries, corpus elements, trec_eval qrels).
// MELO is evaluation data: nothing here may feed training.
import * as path from "path";
import { readDataFile, locate } from "./locate";
import { readTsv, TsvRow, DataFileError } from "./tsv";

export interface RankingBenchmark {
  name: string;
  queries: { id: string; text: string }[];
  corpus: { id: string; text: string }[];
  /** Relevant corpus ids per query id (relevance > 0). */
  qrels: Map<string, Set<string>>;
}

/** id<TAB>text rows. Queries must have a text: an empty query would be scored as a miss, not refused. */
function pairs(rows: TsvRow[], file: string, what: "query" | "corpus element"): { id: string; text: string }[] {
  if (rows.length === 0) throw new DataFileError(file, null, `is empty: expected one ${what} a line (id, a tab, its text)`);
  const seen = new Set<string>();
  return rows.map((r) => {
    const id = r.cells[0].trim();
    if (!id) throw new DataFileError(file, r.line, "empty id");
    if (seen.has(id)) throw new DataFileError(file, r.line, `duplicate id ${id}`);
    if (what === "query" && r.cells[1].trim() === "") throw new DataFileError(file, r.line, `empty query text for query ${id}`);
    seen.add(id);
    return { id, text: r.cells[1] };
  });
}

/** trec_eval qrels: query id, iteration, corpus id, relevance. Without one relevant pair every metric would be 0. */
function qrels(rows: TsvRow[], file: string, queryIds: Set<string>, corpusIds: Set<string>): Map<string, Set<string>> {
  if (rows.length === 0) throw new DataFileError(file, null, "is empty: expected relevance judgements (query id, 0, corpus id, relevance), one a line");
  const out = new Map<string, Set<string>>();
  for (const r of rows) {
    const [qid, , cid, rel] = r.cells.map((c) => c.trim());
    const grade = Number(rel);
    if (!Number.isFinite(grade)) throw new DataFileError(file, r.line, `relevance ${JSON.stringify(rel)} is not a number`);
    if (!queryIds.has(qid)) throw new DataFileError(file, r.line, `unknown query id ${qid}`);
    if (!corpusIds.has(cid)) throw new DataFileError(file, r.line, `unknown corpus id ${cid}`);
    if (grade <= 0) continue;
    let s = out.get(qid);
    if (!s) out.set(qid, (s = new Set()));
    s.add(cid);
  }
  if (out.size === 0) throw new DataFileError(file, null, "has no relevant pair (every relevance is 0 or less): every metric would be 0");
  return out;
}

/** Any benchmark in MELO's format, from three files. */
export function loadRankingBenchmark(queriesFile: string, corpusFile: string, qrelsFile: string): RankingBenchmark {
  const queries = pairs(readTsv(queriesFile, { header: null, columns: 2 }), queriesFile, "query");
  const corpus = pairs(readTsv(corpusFile, { header: null, columns: 2 }), corpusFile, "corpus element");
  const rel = qrels(
    readTsv(qrelsFile, { header: null, columns: 4 }),
    qrelsFile,
    new Set(queries.map((q) => q.id)),
    new Set(corpus.map((c) => c.id)),
  );
  return { name: path.basename(path.dirname(path.resolve(queriesFile))), queries, corpus, qrels: rel };
}

/** The MELO usa_q_en_c_en task from the open-data folder. */
export function loadMelo(dataDir?: string): RankingBenchmark {
  const queries = pairs(readDataFile("meloQueries", dataDir), locate("meloQueries", dataDir), "query");
  const corpus = pairs(readDataFile("meloCorpus", dataDir), locate("meloCorpus", dataDir), "corpus element");
  const file = locate("meloQrels", dataDir);
  const rel = qrels(
    readDataFile("meloQrels", dataDir),
    file,
    new Set(queries.map((q) => q.id)),
    new Set(corpus.map((c) => c.id)),
  );
  return { name: "melo-usa_q_en_c_en", queries, corpus, qrels: rel };
}
