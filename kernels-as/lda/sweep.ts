// One collapsed Gibbs sweep over every token, the hot loop of src/models/lda. The conditional of a token of word w
// in document d, itself left out (primes), splits as in SparseLDA (Yao, Mimno & McCallum 2009):
//
//   p(k) ∝ (n'_wk + β)(n'_dk + α) / (n'_k + Vβ) = n'_wk(n'_dk + α)/(n'_k + Vβ) + β·n'_dk/(n'_k + Vβ) + αβ/(n'_k + Vβ)
//                                                  q: topics of the word        r: topics of d         s: every k
//
// r and s are running sums, updated when a count changes, so a token costs a loop over the few topics its word
// occurs in (about 2 of 20 on the simulated profiles) instead of all K. Most tokens keep their topic, so the current
// topic's whole mass is tested first: a token that stays costs that loop and one draw, reads only and writes
// nothing; only a move walks the buckets (without the current topic) and updates counts. It is the exact
// conditional of the textbook dense loop; only the order of floating-point operations differs. The document's
// topic list and r are rebuilt at each document and s at each sweep, so rounding in the running sums never
// accumulates. Every operation is IEEE double in a fixed order, so a seed reproduces a chain bit for bit.
import { K, D, alpha, beta, tokens, start, split, ndk, topics, wMeta, wList, dTopics, invTable, rngState, saveRng } from "./state";

/** 2^-53: a 53-bit integer times this is a uniform double in [0, 1). */
const UNIT: f64 = 1.1102230246251565e-16;

// Topic record fields (state.ts).
const INV: usize = 0;
const INV_M1: usize = 8;
const COEF: usize = 16;
const NK: usize = 24;

@inline function rec(base: usize, k: i32): usize {
  return base + (<usize>k << 5);
}
@inline function i32At(base: usize, j: i32): i32 {
  return load<i32>(base + (<usize>j << 2));
}
@inline function setI32(base: usize, j: i32, v: i32): void {
  store<i32>(base + (<usize>j << 2), v);
}

export function sweep(): void {
  // Globals copied to locals: V8 reloads a global at every use.
  const nTopics = K;
  const a = alpha;
  const b = beta;
  const inv = invTable;
  const ab = a * b;
  const tp = topics;
  const meta = wMeta;
  const list0 = wList;
  const dt = dTopics;
  let s = rngState;

  let S: f64 = 0; // Σ_k 1/(n_k + Vβ)
  for (let k = 0; k < nTopics; k++) S += load<f64>(rec(tp, k), INV);
  for (let d = 0; d < D; d++) {
    let at = tokens + (<usize>i32At(start, d) << 3);
    const hapax = tokens + (<usize>i32At(split, d) << 3);
    const end = tokens + (<usize>i32At(start, d + 1) << 3);
    if (at == end) continue;
    const nd = ndk + ((<usize>d * <usize>nTopics) << 2);
    // Branch-free: whether a topic occurs in d is a coin flip for the branch predictor; adding 0·x changes no sum.
    let r: f64 = 0; // Σ_{k in d} n_dk/(n_k + Vβ)
    let dn = 0;
    for (let k = 0; k < nTopics; k++) {
      const n = i32At(nd, k);
      const t = rec(tp, k);
      const ik = load<f64>(t, INV);
      store<f64>(t, (<f64>n + a) * ik, COEF);
      r += <f64>n * ik;
      setI32(dt, dn, k);
      dn += i32(n > 0);
    }
    for (; at < end; at += 8) {
      const w = load<i32>(at);
      const kOld = load<i32>(at, 4);
      const list = list0 + (<usize>load<i32>(meta + (<usize>w << 3)) << 2);
      const nz = load<i32>(meta + (<usize>w << 3), 4);
      const nOld = i32At(nd, kOld);
      const tOld = rec(tp, kOld);
      const invOld = load<f64>(tOld, INV);
      const invOld2 = load<f64>(tOld, INV_M1);

      // q over the word's other topics; kOld's entry is the token's own count plus the others'. Selects, not
      // branches, pick kOld's entry out.
      let q: f64 = 0;
      let mOld = 0;
      let cOld = 1;
      // A hapax's list is its own entry alone: no q, and no loop, whose exit the branch predictor would often miss
      // (hapaxes come last in each document, so whether the loop runs at all is predictable).
      const scan = select(nz, 0, at < hapax);
      for (let m = 0; m < scan; m++) {
        const e = list + (<usize>m << 3);
        const t = load<i32>(e);
        const c = load<i32>(e, 4);
        const own = t == kOld;
        mOld = select(m, mOld, own);
        cOld = select(c, cOld, own);
        q += <f64>select(0, c, own) * load<f64>(rec(tp, t), COEF);
      }
      const pOld = (<f64>(cOld - 1) + b) * (<f64>(nOld - 1) + a) * invOld2;
      const rRest = b * (r - <f64>nOld * invOld);
      const sRest = ab * (S - invOld);
      s += 0x9e3779b97f4a7c15;
      let x = s;
      x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9;
      x = (x ^ (x >> 27)) * 0x94d049bb133111eb;
      x ^= x >> 31;
      let u = <f64>(<i64>(x >> 11)) * UNIT * (pOld + q + rRest + sRest) - pOld;
      if (u < 0) continue;

      // A move: draw among the other topics (bucket by bucket), then update every count.
      let k = -1;
      if (u < q) {
        for (let m = 0; m < nz; m++) {
          const e = list + (<usize>m << 3);
          const t = load<i32>(e);
          if (t == kOld) continue;
          k = t;
          u -= <f64>load<i32>(e, 4) * load<f64>(rec(tp, t), COEF);
          if (u < 0) break;
        }
      } else if ((u -= q) < rRest) {
        for (let m = 0; m < dn; m++) {
          const t = i32At(dt, m);
          if (t == kOld) continue;
          k = t;
          u -= b * <f64>i32At(nd, t) * load<f64>(rec(tp, t), INV);
          if (u < 0) break;
        }
      } else {
        u -= rRest;
        for (let t = 0; t < nTopics; t++) {
          if (t == kOld) continue;
          k = t;
          u -= ab * load<f64>(rec(tp, t), INV);
          if (u < 0) break;
        }
      }
      // Only rounding at the edge of a bucket can leave no topic drawn (e.g. K = 1); the token stays then.
      if (k < 0) continue;

      store<i32>(at, k, 4);
      // kOld loses the token: its 1/(n - 1 + Vβ) becomes its 1/(n + Vβ), and the next one down is divided anew.
      setI32(nd, kOld, nOld - 1);
      const nkOld = load<i32>(tOld, NK) - 1;
      store<i32>(tOld, nkOld, NK);
      store<f64>(tOld, invOld2, INV);
      // 1/(n_k - 1 + Vβ) is meaningful only while n_k > 0; an empty topic gets entry 0 rather than a read before the table.
      store<f64>(tOld, load<f64>(inv + (<usize>select(nkOld - 1, 0, nkOld > 0) << 3)), INV_M1);
      store<f64>(tOld, (<f64>(nOld - 1) + a) * invOld2, COEF);
      S += invOld2 - invOld;
      r += <f64>(nOld - 1) * invOld2 - <f64>nOld * invOld;
      if (nOld == 1) {
        let j = 0;
        while (i32At(dt, j) != kOld) j++;
        setI32(dt, j, i32At(dt, --dn));
      }
      // k gains it: the other way round.
      const tNew = rec(tp, k);
      const n = i32At(nd, k);
      const ik = load<f64>(tNew, INV);
      const nkNew = load<i32>(tNew, NK) + 1;
      const ik2 = load<f64>(inv + (<usize>nkNew << 3));
      store<i32>(tNew, nkNew, NK);
      store<f64>(tNew, ik2, INV);
      store<f64>(tNew, ik, INV_M1);
      store<f64>(tNew, (<f64>(n + 1) + a) * ik2, COEF);
      setI32(nd, k, n + 1);
      S += ik2 - ik;
      r += <f64>(n + 1) * ik2 - <f64>n * ik;
      if (n == 0) setI32(dt, dn++, k);

      moveCount(list, nz, mOld, kOld, k, meta + (<usize>w << 3) + 4);
    }
  }
  saveRng(s);
}

/**
 * Moves one count in a word's list from kOld (at pair mOld) to k, keeping the list sorted by count, largest first;
 * nzAt holds the list's length. A word seen once (most of a small corpus's vocabulary) just relabels its one entry.
 */
@inline function moveCount(list: usize, nz: i32, mOld: i32, kOld: i32, k: i32, nzAt: usize): void {
  if (nz == 1 && i32At(list, 1) == 1) {
    setI32(list, 0, k);
    return;
  }
  let j = 2 * mOld;
  let cnt = i32At(list, j + 1) - 1;
  setI32(list, j + 1, cnt);
  for (const last = 2 * nz - 2; j < last && i32At(list, j + 3) > cnt; j += 2) {
    setI32(list, j, i32At(list, j + 2));
    setI32(list, j + 1, i32At(list, j + 3));
    setI32(list, j + 2, kOld);
    setI32(list, j + 3, cnt);
  }
  if (cnt == 0) nz--;
  j = 0;
  const stop = 2 * nz;
  while (j < stop && i32At(list, j) != k) j += 2;
  if (j == stop) {
    setI32(list, j, k);
    setI32(list, j + 1, 0);
    nz++;
  }
  store<i32>(nzAt, nz);
  cnt = i32At(list, j + 1) + 1;
  setI32(list, j + 1, cnt);
  for (; j > 0 && i32At(list, j - 1) < cnt; j -= 2) {
    setI32(list, j, i32At(list, j - 2));
    setI32(list, j + 1, i32At(list, j - 1));
    setI32(list, j - 2, k);
    setI32(list, j - 1, cnt);
  }
}
