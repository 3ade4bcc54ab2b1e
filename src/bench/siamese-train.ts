// Benchmark: training throughput of the talk's Siamese char-CNN (tf.layers, CHAR_CONFIG) against the PyTorch peer,
// on random pairs as the peer uses: one warm-up epoch, then timed epochs, ours and the peer's alternating.
import * as os from "os";
import * as tf from "@tensorflow/tfjs";
import { buildSiamese, CHAR_CONFIG } from "../models/siamese/model";
import { initBackend } from "../runtime/backend";
import { runPeer } from "./peers";
import { intParam, registerBenchmark } from "./registry";

async function startBackend(name: string, log: (l: string) => void): Promise<{ label: string; software: boolean }> {
  const info = await initBackend({ backend: name, log });
  return { label: `${info.name} (${info.detail})`, software: info.software === true };
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

export interface TrainingTiming {
  pairsPerSecond: number[];
  pairs: number;
  batch: number;
}

/**
 * Trains the CHAR_CONFIG model on random pairs (as the peer does) on the current backend: one warm-up epoch, then
 * `repeats` timed epochs. `between` runs after each timed epoch (the peer, for side-by-side figures).
 */
export async function timeTraining(pairs: number, batch: number, repeats: number, between?: (pairsPerSecond: number) => void): Promise<TrainingTiming> {
  const { model } = buildSiamese(CHAR_CONFIG);
  model.compile({ optimizer: tf.train.adam(1e-3), loss: "binaryCrossentropy" });
  const { seqLength: L, vocabSize: V } = CHAR_CONFIG;
  const left = tf.randomUniform([pairs, L], 0, V, "int32", 1);
  const right = tf.randomUniform([pairs, L], 0, V, "int32", 2);
  const labels = tf.cast(tf.randomUniform([pairs, 1], 0, 2, "int32", 3), "float32");
  const epoch = async (): Promise<number> => {
    const t0 = performance.now();
    await model.fit([left, right], labels, { batchSize: batch, epochs: 1, verbose: 0, shuffle: false });
    return (performance.now() - t0) / 1000;
  };
  await epoch();
  const out: number[] = [];
  for (let r = 0; r < repeats; r++) {
    out.push(pairs / (await epoch()));
    between?.(out[out.length - 1]);
  }
  tf.dispose([left, right, labels]);
  model.dispose();
  return { pairsPerSecond: out, pairs, batch };
}

registerBenchmark({
  name: "siamese-train",
  params: ["backend", "pairs", "batch", "repeats", "peer"],
  help: "Siamese char-CNN training pairs/s vs ../shared/peers/siamese_torch.py (--backend wasm|webgpu|tensorflow|cpu; -p pairs=16384 batch=256 peer=true repeats=1)",
  async run({ params, log }) {
    const started = await startBackend(params.backend ?? "wasm", log);
    const backend = started.label;
    // A software WebGPU adapter (CI's llvmpipe) trains at tens of pairs/s: a smaller default keeps the run to minutes.
    const pairs = intParam(params, "pairs", started.software ? 512 : 16384);
    const batch = intParam(params, "batch", started.software ? 64 : 256);
    const repeats = intParam(params, "repeats", 1);
    const withPeer = (params.peer ?? "true") !== "false";
    if (started.software && params.pairs === undefined) log(`software adapter: ${pairs} pairs in batches of ${batch} (-p pairs=N to change)`);
    const peer: number[] = [];
    let peerNote = "";
    const timing = await timeTraining(pairs, batch, repeats, (rate) => {
      log(`jtlab   ${backend.split(" ")[0]}: ${rate.toFixed(0)} pairs/s`);
      if (!withPeer || peerNote) return;
      const p = runPeer("siamese_torch.py", [String(pairs), "2"]);
      const m = p.ok ? /pairs\/s=(\d+(?:\.\d+)?)/.exec(p.stdout) : null;
      if (!m) {
        peerNote = p.reason ?? `unexpected peer output: ${p.stdout.trim()}`;
        log(`torch   peer skipped: ${peerNote}`);
        return;
      }
      peer.push(Number(m[1]));
      log(`torch   2 threads: ${peer[peer.length - 1].toFixed(0)} pairs/s`);
    });
    const ours = timing.pairsPerSecond;
    // both figures fall when other processes share the cores (PyTorch's 2 threads most of all): say how busy it was
    const load = os.loadavg()[0];
    log(`load average ${load.toFixed(1)} on ${os.cpus().length} cores`);
    const oursPps = median(ours);
    const peerPps = peer.length ? median(peer) : null;
    const ratio = peerPps ? oursPps / peerPps : null;
    return {
      name: "siamese-train",
      figures: { backend, pairs, batch, repeats, loadAverage: load, oursPairsPerSecond: oursPps, peerPairsPerSecond: peerPps, ratio },
      lines: [
        `ours ${oursPps.toFixed(0)} pairs/s (median of ${ours.length}), peer ${peerPps === null ? "n/a" : `${peerPps.toFixed(0)} pairs/s (median of ${peer.length})`}`,
        ratio === null ? `no peer figure${peerNote ? `: ${peerNote}` : ""}` : `jtlab is ${ratio.toFixed(2)}x PyTorch's training speed (target: >= 0.5x)`,
      ],
    };
  },
});
