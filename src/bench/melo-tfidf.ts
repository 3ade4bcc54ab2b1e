// Benchmark: MELO char TF-IDF, ours against the scikit-learn peer, whole command against whole command.
import { spawnSync } from "child_process";
import * as path from "path";
import { findDataDir, projectRoot } from "../data/paths";
import { runPeer } from "./peers";
import { registerBenchmark } from "./registry";

registerBenchmark({
  name: "melo-tfidf",
  params: [],
  help: "jtlab eval melo --method char-tfidf vs ../shared/peers/melo_tfidf.py (wall-clock, whole process)",
  async run({ log }) {
    const melo = path.join(findDataDir().dir, "melo-usa_q_en_c_en");
    const t0 = performance.now();
    const ours = spawnSync(process.execPath, [path.join(projectRoot(), "bin", "jtlab.cjs"), "eval", "melo", "--method", "char-tfidf", "--json"], {
      encoding: "utf8",
    });
    const oursSeconds = (performance.now() - t0) / 1000;
    if (ours.status !== 0) throw new Error(`jtlab eval failed: ${ours.stderr}`);
    const j = JSON.parse(ours.stdout);
    log(`jtlab   ${oursSeconds.toFixed(2)} s  MRR ${j.mrr.toFixed(4)}  MAP ${j.map.toFixed(4)}`);
    const peer = runPeer("melo_tfidf.py", [melo]);
    if (peer.ok) log(`sklearn ${peer.seconds.toFixed(2)} s  ${peer.stdout.trim()}`);
    else log(`sklearn peer skipped: ${peer.reason}`);
    const ratio = peer.ok ? peer.seconds / oursSeconds : null;
    return {
      name: "melo-tfidf",
      figures: { oursSeconds, peerSeconds: peer.ok ? peer.seconds : null, speedup: ratio, mrr: j.mrr, map: j.map },
      lines: [ratio === null ? "no peer figure" : `jtlab is ${ratio.toFixed(1)}x the speed of scikit-learn (target: >= 1x)`],
    };
  },
});
