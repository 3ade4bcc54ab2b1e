// A ranking task shaped like MELO, built from the dev split only, so that similarity settings can be chosen without
// looking at MELO (which stays evaluation only): each O*NET occupation's own title is a query, the dev titles listed
// under O*NET occupations are the corpus, and a query's relevant titles are the dev titles of its occupation. MELO
// asks the same question (an occupation's title → the surface forms of the matching occupation) of ESCO.
import { RankingBenchmark } from "../data/melo";
import { Datasets } from "./build";

export function devRankingBenchmark(d: Pick<Datasets, "train" | "dev">): RankingBenchmark {
  const onet = (groups: readonly string[]): string[] => groups.filter((g) => g.startsWith("onet:"));
  const corpus: { id: string; text: string }[] = [];
  const relevant = new Map<string, Set<string>>();
  d.dev.forEach((t, i) => {
    if (t.sources.includes("onet-occupation")) return;
    const groups = onet(t.groups);
    if (!groups.length) return;
    const id = `dev${i}`;
    corpus.push({ id, text: t.title });
    for (const g of groups) {
      let s = relevant.get(g);
      if (!s) relevant.set(g, (s = new Set()));
      s.add(id);
    }
  });
  const queries: { id: string; text: string }[] = [];
  const qrels = new Map<string, Set<string>>();
  const seen = new Set<string>();
  for (const t of [...d.train, ...d.dev]) {
    if (!t.sources.includes("onet-occupation")) continue;
    for (const g of onet(t.groups)) {
      const rel = relevant.get(g);
      if (!rel || seen.has(g)) continue;
      seen.add(g);
      queries.push({ id: g, text: t.title });
      qrels.set(g, rel);
    }
  }
  queries.sort((a, b) => (a.id < b.id ? -1 : 1));
  return { name: "dev: O*NET occupation title → dev titles of the occupation", queries, corpus, qrels };
}
