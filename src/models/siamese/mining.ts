// Mined hard negatives: after an epoch, the titles the current model puts nearest to a pair's title but that belong to
// another occupation become that pair's negatives in the next epoch (beside the batch's own, in-batch negatives).
// Random negatives stop teaching once the model separates nurses from welders; the nearest wrong titles ("Sales
// Engineer" for "Software Engineer", "Ship Fitter" for "Pipe Fitter") are the ones it still confuses.
//
// "Another occupation" has to be safe against synonyms, since a synonym pushed away is worse than no negative. The
// two taxonomies (O*NET occupations, ONS sub-unit groups) do not share codes, so a title of one and its synonym in
// the other share no group. A candidate is a negative of a pair only when it shares no occupation family (O*NET
// minor group, ONS minor group) with either title, and, when they are listed in different taxonomies, is also of
// another Role class.
import * as tf from "@tensorflow/tfjs";
import { LabelledTitle } from "../../datasets/labelled";
import { normKey } from "../../text/normalize";
import { Rng } from "../../util/random";
import { ExactTopK, TopKResult } from "../neighbours/exact-topk";
import { normalizeRows } from "../representatives/similarity";
import { TitleEncoder } from "./encoders";
import { Pair } from "./pairs";

export interface MiningPool {
  /** Pool titles' ids, [n × length]. */
  ids: Int32Array;
  n: number;
  length: number;
  /** Per pool title: its occupation families (ids), sorted. */
  families: Int32Array[];
  /** Per pool title: its Role class (id) or −1, and its taxonomies (1 O*NET, 2 ONS). */
  roles: Int32Array;
  taxonomies: Uint8Array;
  /** Per training pair: the pool index of each side, −1 when the title is not a labelled training title. */
  left: Int32Array;
  right: Int32Array;
}

/** O*NET minor group ("onet:47-21") or ONS minor group ("ons:223") of a membership. */
function family(group: string): string {
  return group.startsWith("onet:") ? group.slice(0, 10) : group.slice(0, 7);
}

export function buildMiningPool(train: readonly LabelledTitle[], pairs: readonly Pair[], enc: TitleEncoder): MiningPool {
  const familyId = new Map<string, number>();
  const roleId = new Map<string, number>();
  const id = (m: Map<string, number>, k: string): number => {
    let v = m.get(k);
    if (v === undefined) m.set(k, (v = m.size));
    return v;
  };
  const titles = train.map((t) => t.title);
  const byNorm = new Map<string, number>();
  train.forEach((t, i) => byNorm.set(t.norm, i));
  const families = train.map((t) => Int32Array.from(new Set(t.groups.map((g) => id(familyId, family(g))))).sort());
  const roles = Int32Array.from(train, (t) => (t.role ? id(roleId, t.role) : -1));
  const taxonomies = Uint8Array.from(train, (t) => (t.groups.some((g) => g.startsWith("onet:")) ? 1 : 0) | (t.groups.some((g) => g.startsWith("ons:")) ? 2 : 0));
  const at = (title: string): number => byNorm.get(normKey(title)) ?? -1;
  return {
    ids: enc.encodeBatch(titles),
    n: titles.length,
    length: enc.maxLength,
    families,
    roles,
    taxonomies,
    left: Int32Array.from(pairs, (p) => at(p.a)),
    right: Int32Array.from(pairs, (p) => at(p.b)),
  };
}

function shares(a: Int32Array, b: Int32Array): boolean {
  let i = 0;
  let j = 0;
  while (i < a.length && j < b.length) {
    if (a[i] === b[j]) return true;
    if (a[i] < b[j]) i++;
    else j++;
  }
  return false;
}

/** Whether pool title c can be a negative for pool title a (see the module comment). */
export function isSafeNegative(pool: MiningPool, a: number, c: number): boolean {
  if (a === c) return false;
  if (shares(pool.families[a], pool.families[c])) return false;
  if ((pool.taxonomies[a] & pool.taxonomies[c]) === 0) return pool.roles[a] >= 0 && pool.roles[c] >= 0 && pool.roles[a] !== pool.roles[c];
  return true;
}

/** Tower outputs of every pool title, unit length (the contrastive objective compares cosines). */
async function poolVectors(tower: tf.LayersModel, pool: MiningPool, dim: number, batch = 4096): Promise<Float32Array> {
  const out = new Float32Array(pool.n * dim);
  for (let from = 0; from < pool.n; from += batch) {
    const to = Math.min(pool.n, from + batch);
    const ids = tf.tensor2d(pool.ids.subarray(from * pool.length, to * pool.length), [to - from, pool.length], "int32");
    const y = tower.predict(ids) as tf.Tensor;
    out.set((await y.data()) as Float32Array, from * dim);
    tf.dispose([ids, y]);
  }
  return normalizeRows(out, dim);
}

/**
 * For each pair index in `pairs`, a pool title to be its negative: one drawn from the `k` titles nearest its left
 * title that are safe negatives of both its titles (−1 when the left title is not in the pool or none is safe).
 */
export async function mineNegatives(tower: tf.LayersModel, dim: number, pool: MiningPool, pairs: Int32Array, k: number, rng: Rng): Promise<{ negatives: Int32Array; found: number }> {
  const negatives = new Int32Array(pairs.length).fill(-1);
  const anchors = [...new Set(Array.from(pairs, (p) => pool.left[p]).filter((a) => a >= 0))].sort((x, y) => x - y);
  if (anchors.length === 0) return { negatives, found: 0 };
  const vectors = await poolVectors(tower, pool, dim);
  const queries = new Float32Array(anchors.length * dim);
  anchors.forEach((a, q) => queries.set(vectors.subarray(a * dim, a * dim + dim), q * dim));
  const index = new ExactTopK(vectors, dim);
  // More than k: the anchor itself and its own occupation's titles come first and are skipped.
  const kk = Math.min(pool.n, 4 * k + 16);
  let hits: TopKResult;
  try {
    hits = await index.search(queries, kk);
  } finally {
    index.dispose();
  }
  const row = new Map(anchors.map((a, q) => [a, q]));
  let found = 0;
  pairs.forEach((p, i) => {
    const a = pool.left[p];
    if (a < 0) return;
    const b = pool.right[p];
    const q = row.get(a)!;
    const safe: number[] = [];
    for (let j = 0; j < kk && safe.length < k; j++) {
      const c = hits.indices[q * kk + j];
      if (c >= 0 && isSafeNegative(pool, a, c) && (b < 0 || isSafeNegative(pool, b, c))) safe.push(c);
    }
    if (safe.length) {
      negatives[i] = rng.pick(safe);
      found++;
    }
  });
  return { negatives, found };
}
