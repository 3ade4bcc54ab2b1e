// Benchmark: word2vec skip-gram and Doc2Vec PV-DBOW training speed, ours against gensim (../shared/peers/gensim_embed.py)
// on the same corpus file with the same settings, repeated back to back because the machine is shared; medians count.
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { loadDatasets } from "../datasets/build";
import { trainDoc2Vec, trainWord2Vec } from "../models/embeddings/index";
import { tokenize } from "../text/tokenize";
import { runPeer } from "./peers";
import { intParam, registerBenchmark } from "./registry";

/** The peer's settings (gensim_embed.py hard-codes them, epochs included). */
const SETTINGS = { dim: 100, window: 5, negative: 5, minCount: 2, sample: 1e-3, alpha: 0.025, minAlpha: 0.0001, seed: 1 };
const PEER_EPOCHS = 10;

function median(xs: number[]): number {
  const s = xs.slice().sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

/** The training titles, one document per line, tokens separated by spaces; empty documents left out (as the peer). */
function writeCorpus(corpus: string): { file: string; docs: string[][]; words: number } {
  if (corpus !== "titles" && corpus !== "titles-digrams") throw new Error(`bench embeddings: corpus must be titles or titles-digrams, got ${corpus}`);
  const digrams = corpus === "titles-digrams";
  const docs = loadDatasets()
    .train.map((t) => tokenize(t.title, { digrams }))
    .filter((d) => d.length > 0);
  const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "jtlab-embed-")), `${corpus}.txt`);
  fs.writeFileSync(file, docs.map((d) => d.join(" ")).join("\n") + "\n");
  // Read back as the peer reads it, so both sides train on exactly the same tokens.
  const back = fs.readFileSync(file, "utf8").split("\n").filter((l) => l.trim()).map((l) => l.split(" "));
  return { file, docs: back, words: back.reduce((s, d) => s + d.length, 0) };
}

const fmt = (x: number): string => Math.round(x).toLocaleString("en-US");

registerBenchmark({
  name: "embeddings",
  params: ["workers", "epochs", "repeats", "corpus"],
  help: "word2vec skip-gram and Doc2Vec PV-DBOW training words/s vs gensim (-p workers=2 epochs=10 corpus=titles-digrams|titles repeats=3)",
  async run({ params, log }) {
    const workers = intParam(params, "workers", 2);
    const epochs = intParam(params, "epochs", PEER_EPOCHS);
    const repeats = intParam(params, "repeats", 3);
    const corpus = params.corpus ?? "titles-digrams";
    const { file, docs, words } = writeCorpus(corpus);
    log(`corpus ${corpus}: ${docs.length.toLocaleString("en-US")} documents, ${words.toLocaleString("en-US")} tokens (${file})`);
    log(`settings: dim 100, window 5, negative 5, min_count 2, sample 1e-3, alpha 0.025, epochs ${epochs}, ${workers} workers; words/s = tokens × epochs / seconds of the training call`);
    if (epochs !== PEER_EPOCHS) log(`note: the gensim peer always runs ${PEER_EPOCHS} epochs; words/s are still comparable`);
    const ours = { sg: [] as number[], dbow: [] as number[] };
    const peer = { sg: [] as number[], dbow: [] as number[] };
    let peerMissing: string | null = null;
    try {
      for (let r = 1; r <= repeats; r++) {
        let t0 = performance.now();
        await trainWord2Vec(docs, { ...SETTINGS, epochs, workers });
        ours.sg.push((words * epochs) / ((performance.now() - t0) / 1000));
        t0 = performance.now();
        await trainDoc2Vec(docs, { ...SETTINGS, epochs, workers });
        ours.dbow.push((words * epochs) / ((performance.now() - t0) / 1000));
        const p = runPeer("gensim_embed.py", [file, String(workers)]);
        let line = `run ${r}/${repeats}: ours sg ${fmt(ours.sg[r - 1])} w/s, pv-dbow ${fmt(ours.dbow[r - 1])} w/s`;
        if (p.ok) {
          const sg = /word2vec sgns: (\d+) words\/s/.exec(p.stdout);
          const dbow = /doc2vec pv-dbow: (\d+) words\/s/.exec(p.stdout);
          if (!sg || !dbow) throw new Error(`bench embeddings: unexpected gensim output:\n${p.stdout}`);
          peer.sg.push(Number(sg[1]));
          peer.dbow.push(Number(dbow[1]));
          line += ` | gensim sg ${fmt(peer.sg[r - 1])} w/s, pv-dbow ${fmt(peer.dbow[r - 1])} w/s`;
          line += ` | ratio sg ${(ours.sg[r - 1] / peer.sg[r - 1]).toFixed(2)}, pv-dbow ${(ours.dbow[r - 1] / peer.dbow[r - 1]).toFixed(2)}`;
        } else peerMissing = p.reason ?? "peer failed";
        log(line);
      }
    } finally {
      fs.rmSync(path.dirname(file), { recursive: true, force: true });
    }
    if (peerMissing) log(`gensim peer skipped: ${peerMissing}`);
    const ratios = (a: number[], b: number[]): number[] => a.map((x, i) => x / b[i]);
    const sgRatio = peer.sg.length ? median(ratios(ours.sg, peer.sg)) : null;
    const dbowRatio = peer.dbow.length ? median(ratios(ours.dbow, peer.dbow)) : null;
    const lines = [
      `median words/s — ours: skip-gram ${fmt(median(ours.sg))}, pv-dbow ${fmt(median(ours.dbow))}` +
        (peer.sg.length ? `; gensim: skip-gram ${fmt(median(peer.sg))}, pv-dbow ${fmt(median(peer.dbow))}` : ""),
      sgRatio === null || dbowRatio === null
        ? "no gensim figures"
        : `ours / gensim (median of per-run ratios): skip-gram ${sgRatio.toFixed(2)}x, pv-dbow ${dbowRatio.toFixed(2)}x (target: >= 0.5x)`,
    ];
    return {
      name: "embeddings",
      figures: {
        corpus,
        documents: docs.length,
        tokens: words,
        workers,
        epochs,
        repeats,
        oursSkipGramWps: median(ours.sg),
        oursPvDbowWps: median(ours.dbow),
        gensimSkipGramWps: peer.sg.length ? median(peer.sg) : null,
        gensimPvDbowWps: peer.dbow.length ? median(peer.dbow) : null,
        skipGramRatio: sgRatio,
        pvDbowRatio: dbowRatio,
        skipGramRatios: peer.sg.length ? ratios(ours.sg, peer.sg).map((x) => x.toFixed(2)).join(" ") : null,
        pvDbowRatios: peer.dbow.length ? ratios(ours.dbow, peer.dbow).map((x) => x.toFixed(2)).join(" ") : null,
      },
      lines,
    };
  },
});
