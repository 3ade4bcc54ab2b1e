// `jtlab eval ranking` refuses input it cannot score honestly: an empty query text (it was scored as a miss), an
// empty judgements file or one without a relevant pair (every metric was 0, exit 0), an empty queries or corpus file.
import * as fs from "fs";
import * as path from "path";
import { describe, expect, it } from "vitest";
import { loadRankingBenchmark } from "../src/data/melo";
import { runCli, tmpDir } from "./helpers";

function files(q: string, c: string, a: string): [string, string, string] {
  const dir = tmpDir("jtlab-rank-");
  const paths: [string, string, string] = [path.join(dir, "q.tsv"), path.join(dir, "c.tsv"), path.join(dir, "a.tsv")];
  [q, c, a].forEach((t, i) => fs.writeFileSync(paths[i], t));
  return paths;
}

const corpus = "c1\tdata scientist\nc2\tbaker\n";
const judged = "q1\t0\tc1\t1\nq2\t0\tc2\t1\n";

describe("ranking benchmark input", () => {
  it("loads a well-formed benchmark", () => {
    const b = loadRankingBenchmark(...files("q1\tdata scientist\nq2\tbaker\n", corpus, judged));
    expect(b.queries.map((q) => q.text)).toEqual(["data scientist", "baker"]);
    expect([...b.qrels.keys()]).toEqual(["q1", "q2"]);
  });

  it.each([
    ["an empty query text", "q1\tdata scientist\nq2\t\n", corpus, judged, /q\.tsv:2: empty query text for query q2$/],
    ["a blank query text", "q1\t   \nq2\tbaker\n", corpus, judged, /q\.tsv:1: empty query text for query q1$/],
    ["an empty judgements file", "q1\tdata scientist\n", corpus, "", /a\.tsv: is empty: expected relevance judgements/],
    ["judgements of blank lines only", "q1\tdata scientist\n", corpus, "\n\n", /a\.tsv: is empty: expected relevance judgements/],
    ["judgements without a relevant pair", "q1\tdata scientist\n", corpus, "q1\t0\tc1\t0\n", /a\.tsv: has no relevant pair/],
    ["an empty queries file", "", corpus, judged, /q\.tsv: is empty: expected one query a line/],
    ["an empty corpus file", "q1\tdata scientist\n", "", judged, /c\.tsv: is empty: expected one corpus element a line/],
  ])("refuses %s, naming the file (and line)", (_what, q, c, a, err) => {
    expect(() => loadRankingBenchmark(...files(q, c, a))).toThrow(err);
  });

  it("the CLI refuses an empty query text and an empty judgements file with the file, and exits 1", () => {
    const [q, c, a] = files("q1\tdata scientist\nq2\t\n", corpus, judged);
    const r = runCli(["eval", "ranking", "--queries", q, "--corpus", c, "--qrels", a, "--method", "char-tfidf"]);
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/^jtlab eval: .*q\.tsv:2: empty query text for query q2$/m);
    expect(r.stdout).not.toMatch(/MAP/);

    const [q2, c2, a2] = files("q1\tdata scientist\n", corpus, "");
    const e = runCli(["eval", "ranking", "--queries", q2, "--corpus", c2, "--qrels", a2, "--method", "char-tfidf"]);
    expect(e.status).toBe(1);
    expect(e.stderr).toMatch(/a\.tsv: is empty: expected relevance judgements/);

    // The same benchmark with its query text and judgements is scored.
    const [q3, c3, a3] = files("q1\tdata scientist\nq2\tbaker\n", corpus, judged);
    const ok = runCli(["eval", "ranking", "--queries", q3, "--corpus", c3, "--qrels", a3, "--method", "char-tfidf", "--json"]);
    expect(ok.status, ok.stderr).toBe(0);
    expect(JSON.parse(ok.stdout)).toMatchObject({ method: "char-tfidf", queries: 2, mrr: 1 });
  });
});
