// Training pairs for the Siamese model, from training data only (no ESCO or MELO):
//   positives — two titles held by the same (simulated) person, the talk's own source, marked simulated; two titles
//               of the same O*NET occupation (alternate titles and the training half of the reported ones); an
//               occupation's own title and one of its alternate titles; two titles of the same ONS sub-unit group;
//               a title and an augmented copy of it (abbreviated, reordered, with a typo or with noise that does
//               not change the job: src/text/augment.ts) — each source's share a parameter;
//   negatives — random titles from other people or groups, and hard negatives: same SOC major group, different
//               occupation (the pairs that teach "Sales Engineer" is not "Software Engineer").
import { LabelledTitle } from "../../datasets/labelled";
import { Profile } from "../../data/user-csv";
import { Rng } from "../../util/random";
import { augmentTitle, AugmentRates, DEFAULT_AUGMENT_RATES } from "../../text/augment";

export type PairKind = "same-person" | "same-occupation" | "occupation-title" | "same-ons-group" | "augmented" | "random" | "hard";

/** Positive sources built from simulated data, to be marked as such wherever pairs are shown. */
export const SIMULATED_KINDS: readonly PairKind[] = ["same-person"];

export interface Pair {
  a: string;
  b: string;
  label: 0 | 1;
  kind: PairKind;
  /** For augmented pairs: the transformations that made b from a. */
  augmentations?: string[];
}

export interface PairConfig {
  positives: number;
  /** Negatives per positive. */
  negativeRatio: number;
  /** Share of negatives that are hard (same major group, different occupation). */
  hardShare: number;
  /** Shares of positives by source (normalized): same person, same O*NET occupation, occupation title, same ONS group. */
  personShare: number;
  occupationShare: number;
  occupationTitleShare: number;
  onsShare: number;
  /** Share of positives that pair a training title with an augmented copy of itself. */
  augmentShare: number;
  /** Each transformation's probability when a copy is augmented. */
  augmentRates: AugmentRates;
  seed: number;
}

export const DEFAULT_PAIR_CONFIG: PairConfig = {
  positives: 40000,
  negativeRatio: 1,
  hardShare: 0.5,
  personShare: 1,
  occupationShare: 1,
  occupationTitleShare: 1,
  onsShare: 1,
  augmentShare: 0,
  augmentRates: DEFAULT_AUGMENT_RATES,
  seed: 20170904,
};

/** SOC major group of a membership: "onet:15-1252.00" -> "onet:15", "ons:2134/00" -> "ons:2". */
function majorOf(group: string): string {
  return group.startsWith("onet:") ? group.slice(0, 7) : group.slice(0, 5);
}

export function makePairs(train: readonly LabelledTitle[], profiles: readonly Profile[], config: Partial<PairConfig> = {}): Pair[] {
  const c = { ...DEFAULT_PAIR_CONFIG, ...config };
  const rng = new Rng(c.seed);
  const titles = train.map((t) => t.title);
  const groupsOf = train.map((t) => new Set(t.groups));
  const members = new Map<string, number[]>();
  train.forEach((t, i) => {
    for (const g of t.groups) {
      let l = members.get(g);
      if (!l) members.set(g, (l = []));
      l.push(i);
    }
  });
  const groupsWith2 = (prefix: string): string[] => [...members.keys()].filter((g) => g.startsWith(prefix) && members.get(g)!.length >= 2).sort();
  const onetGroups = groupsWith2("onet:");
  const onsGroups = groupsWith2("ons:");
  const byMajor = new Map<string, string[]>();
  for (const g of [...onetGroups, ...onsGroups]) {
    const m = majorOf(g);
    let l = byMajor.get(m);
    if (!l) byMajor.set(m, (l = []));
    l.push(g);
  }
  const people = profiles.filter((p) => new Set(p.titles).size >= 2);
  // Each O*NET occupation's own title (as listed in the occupation table), to pair with its alternate titles.
  const occupationTitle = new Map<string, number>();
  train.forEach((t, i) => {
    if (!t.sources.includes("onet-occupation")) return;
    for (const g of t.groups) if (g.startsWith("onet:") && !occupationTitle.has(g)) occupationTitle.set(g, i);
  });
  const titledGroups = onetGroups.filter((g) => occupationTitle.has(g));
  if (train.length < 2) throw new Error("makePairs: need at least two training titles");

  const total = c.personShare + c.occupationShare + c.occupationTitleShare + c.onsShare + c.augmentShare;
  if (!(total > 0)) throw new Error("makePairs: every positive source has share 0");
  const quota: [PairKind, number][] = [
    ["same-person", people.length ? Math.round((c.positives * c.personShare) / total) : 0],
    ["same-occupation", onetGroups.length ? Math.round((c.positives * c.occupationShare) / total) : 0],
    ["occupation-title", titledGroups.length ? Math.round((c.positives * c.occupationTitleShare) / total) : 0],
    ["same-ons-group", onsGroups.length ? Math.round((c.positives * c.onsShare) / total) : 0],
    ["augmented", Math.round((c.positives * c.augmentShare) / total)],
  ];
  const rates = { ...DEFAULT_AUGMENT_RATES, ...c.augmentRates };
  const pairs: Pair[] = [];
  const twoOf = (ids: readonly number[]): [number, number] => {
    const i = rng.int(ids.length);
    let j = rng.int(ids.length - 1);
    if (j >= i) j++;
    return [ids[i], ids[j]];
  };
  for (const [kind, n] of quota) {
    for (let k = 0; k < n; k++) {
      if (kind === "same-person") {
        const p = rng.pick(people);
        const distinct = [...new Set(p.titles)];
        const [i, j] = twoOf(distinct.map((_, x) => x));
        pairs.push({ a: distinct[i], b: distinct[j], label: 1, kind });
      } else if (kind === "augmented") {
        // A copy nothing applied to teaches nothing: a few draws, then the source moves on.
        for (let tries = 0; tries < 5; tries++) {
          const t = titles[rng.int(titles.length)];
          const aug = augmentTitle(t, rng, rates);
          if (aug.applied.length === 0 || aug.title === t) continue;
          pairs.push({ a: t, b: aug.title, label: 1, kind, augmentations: aug.applied });
          break;
        }
      } else if (kind === "occupation-title") {
        const g = rng.pick(titledGroups);
        const own = occupationTitle.get(g)!;
        const others = members.get(g)!.filter((m) => m !== own);
        pairs.push({ a: titles[own], b: titles[rng.pick(others)], label: 1, kind });
      } else {
        const g = rng.pick(kind === "same-occupation" ? onetGroups : onsGroups);
        const [i, j] = twoOf(members.get(g)!);
        pairs.push({ a: titles[i], b: titles[j], label: 1, kind });
      }
    }
  }
  const positives = pairs.length;
  const negatives = Math.round(positives * c.negativeRatio);
  const disjoint = (i: number, j: number): boolean => {
    for (const g of groupsOf[i]) if (groupsOf[j].has(g)) return false;
    return titles[i] !== titles[j];
  };
  for (let k = 0; k < negatives; k++) {
    const hard = rng.next() < c.hardShare;
    let found = false;
    for (let tries = 0; tries < 20 && !found; tries++) {
      if (hard) {
        const major = rng.pick([...byMajor.keys()].sort());
        const gs = byMajor.get(major)!;
        if (gs.length < 2) continue;
        const g1 = rng.pick(gs);
        const g2 = rng.pick(gs);
        if (g1 === g2) continue;
        const i = rng.pick(members.get(g1)!);
        const j = rng.pick(members.get(g2)!);
        if (disjoint(i, j)) {
          pairs.push({ a: titles[i], b: titles[j], label: 0, kind: "hard" });
          found = true;
        }
      } else {
        const i = rng.int(titles.length);
        const j = rng.int(titles.length);
        if (disjoint(i, j)) {
          pairs.push({ a: titles[i], b: titles[j], label: 0, kind: "random" });
          found = true;
        }
      }
    }
  }
  return rng.shuffle(pairs);
}

/** Pair counts by kind, for the notebook's pairs table. */
export function pairSummary(pairs: readonly Pair[]): { kind: PairKind; simulated: boolean; label: number; pairs: number; example: string }[] {
  const byKind = new Map<PairKind, Pair[]>();
  for (const p of pairs) {
    let l = byKind.get(p.kind);
    if (!l) byKind.set(p.kind, (l = []));
    l.push(p);
  }
  return [...byKind.entries()].map(([kind, ps]) => ({ kind, simulated: SIMULATED_KINDS.includes(kind), label: ps[0].label, pairs: ps.length, example: `${ps[0].a}  ↔  ${ps[0].b}` }));
}
