// The talk's LDA step as a classifier: each topic takes the Functional Role (and Industry) that dominates it on the
// training profiles (the topic mass of every training person goes to their occupation's class), and a new title
// gets the class of its most probable topic after folding it in. LDA has no notion of Level, so it does not
// predict one.
import { OTHER, Predictor } from "../../core/types";
import { Datasets } from "../../datasets/build";
import { SimulatedProfile } from "../../datasets/profiles";
import { onetCrosswalk } from "../../taxonomy/crosswalk";
import { tokenize } from "../../text/tokenize";
import { LdaModel } from "./lda";

export interface TopicMapping {
  /** Per topic: the class with the most topic mass, that class's share, and every class's share. */
  topics: { label: string; share: number; shares: Record<string, number> }[];
}

/** Maps topics to classes by majority of topic mass over labelled training documents. */
export function mapTopics(model: LdaModel, docLabels: readonly (string | null)[]): TopicMapping {
  const K = model.topics;
  const mass = Array.from({ length: K }, () => new Map<string, number>());
  docLabels.forEach((label, d) => {
    if (!label) return;
    for (let k = 0; k < K; k++) mass[k].set(label, (mass[k].get(label) ?? 0) + model.theta[d * K + k]);
  });
  return {
    topics: mass.map((m) => {
      const total = [...m.values()].reduce((a, b) => a + b, 0);
      const [label, v] = [...m.entries()].sort((a, b) => b[1] - a[1])[0] ?? [OTHER, 0];
      const shares = Object.fromEntries([...m.entries()].map(([c, x]) => [c, total ? x / total : 0]));
      return { label, share: total ? v / total : 0, shares };
    }),
  };
}

/** Role and industry of each simulated profile's occupation (the documents LDA was trained on). */
export function profileLabels(profiles: readonly SimulatedProfile[], type: "role" | "industry"): (string | null)[] {
  const x = onetCrosswalk();
  return profiles.map((p) => x.get(p.occupation)?.[type] ?? null);
}

export type LdaPredictor = Predictor & { mappings: Record<"role" | "industry", TopicMapping> };

export function ldaPredictor(model: LdaModel, d: Datasets, opts: { foldInIterations?: number; seed?: number; name?: string } = {}): LdaPredictor {
  const mappings = { role: mapTopics(model, profileLabels(d.profiles, "role")), industry: mapTopics(model, profileLabels(d.profiles, "industry")) };
  const K = model.topics;
  return {
    name: opts.name ?? "lda",
    types: ["role", "industry"],
    mappings,
    predict(titles, type) {
      if (type === "level") return titles.map(() => ({ label: OTHER, score: 0 }));
      const docs = titles.map((t) => tokenize(t));
      const theta = model.foldIn(docs, { iterations: opts.foldInIterations ?? 30, seed: opts.seed ?? 1 });
      const map = mappings[type].topics;
      return docs.map((doc, i) => {
        let best = 0;
        for (let k = 1; k < K; k++) if (theta[i * K + k] > theta[i * K + best]) best = k;
        const known = doc.some((w) => (model.wordId(w) ?? -1) >= 0);
        // A title with no word LDA knows has the uniform mix: no topic is more likely than another.
        return known ? { label: map[best].label, score: theta[i * K + best] } : { label: OTHER, score: 0 };
      });
    },
  };
}
