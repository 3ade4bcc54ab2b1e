// Benchmark: exact top-k by inner product (ExactTopK, src/models/neighbours/exact-topk.ts) against FAISS's exact
// IndexFlatIP (../shared/peers/knn_faiss.py) on the same shapes: random unit float32 vectors, rows × dim, k, queries.
// Each run times ours, then the peer, so both see the same machine load; the ratio is the median of per-run ratios.
// A sample of our answers is checked against bruteForceTopK, and the candidates the integer screen left for exact
// rescoring are reported (how well it prunes).
//
// The peer's `threads` sets FAISS's OpenMP threads only; its sgemm (Debian's OpenBLAS) runs on every core unless
// OPENBLAS_NUM_THREADS says otherwise, so "faiss threads=1" uses both cores of a 2-core machine for the products
// (and is its fastest setting here), while threads=2 oversubscribes them. -p blas=N sets OPENBLAS_NUM_THREADS for
// the peer: blas=1 with threads=1 is FAISS on one core.
import * as os from "os";
import { bruteForceTopK, ExactTopK } from "../models/neighbours/exact-topk";
import { randomUnitVectors, Rng } from "../util/random";
import { runPeer } from "./peers";
import { intParam, registerBenchmark } from "./registry";


function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

const fmt = (x: number): string => Math.round(x).toLocaleString("en-US");

/** Runs f with one environment variable set (children inherit it), then puts it back. */
function withEnv<T>(name: string, value: string | undefined, f: () => T): T {
  if (value === undefined) return f();
  const before = process.env[name];
  process.env[name] = value;
  try {
    return f();
  } finally {
    if (before === undefined) delete process.env[name];
    else process.env[name] = before;
  }
}

registerBenchmark({
  name: "topk",
  params: ["rows", "queries", "dim", "k", "threads", "seed", "repeats", "verify", "peer", "peerThreads", "blas"],
  help: "exact top-k by inner product, queries/s vs FAISS IndexFlatIP, target >= 1x (-p rows=55416 queries=20000 dim=120 k=10 threads=2 repeats=3 verify=50 peer=true seed=1; peerThreads=threads, blas=OPENBLAS_NUM_THREADS for the peer)",
  async run({ params, log }) {
    const n = intParam(params, "rows", 55416);
    const nq = intParam(params, "queries", 20000);
    const dim = intParam(params, "dim", 120);
    const k = intParam(params, "k", 10);
    const threads = intParam(params, "threads", 2);
    const seed = intParam(params, "seed", 1, 0);
    const repeats = intParam(params, "repeats", 3);
    const verify = Math.min(nq, intParam(params, "verify", 50, 0));
    const usePeer = (params.peer ?? "true") !== "false";
    const peerThreads = intParam(params, "peerThreads", threads);
    const blas = params.blas === undefined ? null : intParam(params, "blas", 1);
    if (k > n) throw new Error(`k (${k}) must be at most rows (${n})`);

    log(`machine: ${os.cpus().length} cores, load average ${os.loadavg().map((x) => x.toFixed(2)).join(" ")}`);
    const rng = new Rng(seed);
    const rows = randomUnitVectors(n, dim, rng);
    const queries = randomUnitVectors(nq, dim, rng);
    let t0 = performance.now();
    const index = new ExactTopK(rows, dim, { threads });
    const buildSeconds = (performance.now() - t0) / 1000;
    log(`${n.toLocaleString("en-US")} rows × ${dim}, k=${k}, ${nq.toLocaleString("en-US")} queries, ${threads} thread(s); index built in ${buildSeconds.toFixed(2)} s`);
    if (usePeer) log(`peer: knn_faiss.py with ${peerThreads} OpenMP thread(s), OPENBLAS_NUM_THREADS=${blas ?? process.env.OPENBLAS_NUM_THREADS ?? "unset (all cores)"}`);
    const ours: number[] = [];
    const peer: number[] = [];
    let peerMissing: string | null = null;
    let rescored = 0;
    let candidates = 0;
    let exact: boolean | null = null;
    try {
      // Warm-up: worker threads started, the kernel tiered up to optimised code.
      await index.search(queries.subarray(0, Math.min(nq, 256) * dim), k);
      for (let r = 1; r <= repeats; r++) {
        t0 = performance.now();
        const res = await index.search(queries, k);
        ours.push(nq / ((performance.now() - t0) / 1000));
        rescored = index.lastStats.rescored / nq;
        candidates = index.lastStats.candidates / nq;
        if (r === 1 && verify > 0) {
          const ref = bruteForceTopK(rows, dim, queries.subarray(0, verify * dim), k);
          exact = ref.indices.every((v, i) => v === res.indices[i]) && ref.scores.every((v, i) => Object.is(v, res.scores[i]));
        }
        let line = `run ${r}/${repeats}: ours ${fmt(ours[r - 1])} queries/s`;
        if (usePeer) {
          const p = withEnv("OPENBLAS_NUM_THREADS", blas === null ? undefined : String(blas), () => runPeer("knn_faiss.py", [n, nq, dim, k, peerThreads].map(String)));
          const m = p.ok ? /queries\/s=(\d+)/.exec(p.stdout) : null;
          if (p.ok && !m) throw new Error(`bench topk: unexpected knn_faiss.py output:\n${p.stdout}`);
          if (m) {
            peer.push(Number(m[1]));
            line += ` | faiss ${fmt(peer[r - 1])} queries/s | ratio ${(ours[r - 1] / peer[r - 1]).toFixed(2)}`;
          } else peerMissing = p.reason ?? "peer failed";
        }
        log(line);
      }
    } finally {
      index.dispose();
    }
    if (peerMissing) log(`faiss peer skipped: ${peerMissing} (apt-get install -y python3-faiss; libopenblas0-pthread for its BLAS)`);
    const ratios = peer.length === ours.length ? ours.map((x, i) => x / peer[i]) : [];
    const ratio = ratios.length ? median(ratios) : null;
    const lines = [
      `median queries/s — ours ${fmt(median(ours))}` + (peer.length ? `, faiss IndexFlatIP ${fmt(median(peer))}` : ""),
      ratio === null ? "no faiss figures" : `ours / faiss (median of per-run ratios): ${ratio.toFixed(2)}x (target: >= 1x)`,
      `screen: ${candidates.toFixed(1)} candidates kept and ${rescored.toFixed(1)} rescored exactly per query (of ${n.toLocaleString("en-US")} rows)`,
      exact === null ? "exactness not checked (verify=0)" : `exact on the first ${verify} queries (vs bruteForceTopK): ${exact ? "yes" : "NO"}`,
    ];
    return {
      name: "topk",
      figures: {
        rows: n,
        queries: nq,
        dim,
        k,
        threads,
        peerThreads,
        blas: blas === null ? null : blas,
        repeats,
        buildSeconds,
        oursQueriesPerSecond: median(ours),
        faissQueriesPerSecond: peer.length ? median(peer) : null,
        ratio,
        ratios: ratios.length ? ratios.map((x) => x.toFixed(2)).join(" ") : null,
        candidatesPerQuery: candidates,
        rescoredPerQuery: rescored,
        exact: exact === null ? null : exact ? "yes" : "no",
      },
      lines,
    };
  },
});
