// Benchmark: our fastText-style classifier (src/models/fasttext/) against Facebook's fastText
// (../shared/peers/fasttext_supervised.py, Debian's `fasttext` CLI) with the same settings, on the same train and
// test split: training seconds, test accuracy and macro-F1 of each. Runs alternate, back to back, and the seconds
// are medians, because the machine is shared.
import * as path from "path";
import { derivedDir } from "../data/paths";
import { loadDatasets } from "../datasets/build";
import { classificationReport } from "../eval/classification";
import { DEFAULT_FASTTEXT_CONFIG, FastTextModel, trainFastText, trainFastTextThreads } from "../models/fasttext/model";
import { classesOf } from "../taxonomy/classes";
import { runPeer } from "./peers";
import { intParam, registerBenchmark } from "./registry";

function median(xs: number[]): number {
  const s = xs.slice().sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

interface Scores {
  accuracy: number;
  macroF1: number;
}

const f4 = (x: number): string => x.toFixed(4);

registerBenchmark({
  name: "fasttext",
  params: ["type", "repeats", "threads", "peerThreads", "peer"],
  help: "fastText-style classifier vs Facebook fastText: training s, test accuracy and macro-F1 (-p type=role|industry repeats=3 threads=1 peerThreads=2 peer=1)",
  async run({ params, log }) {
    const type = params.type ?? "role";
    if (type !== "role" && type !== "industry") throw new Error(`bench fasttext: type must be role or industry, got ${JSON.stringify(type)}`);
    const repeats = intParam(params, "repeats", 3);
    const threads = intParam(params, "threads", 1);
    const peerThreads = intParam(params, "peerThreads", 2);
    const withPeer = params.peer !== "0" && params.peer !== "false";

    const d = loadDatasets();
    const train = d.train.filter((t) => t[type] !== null);
    const classes = classesOf(type);
    // The peer trains on the `norm` column; ours gets the same keys, and is scored on raw titles, which it normalizes.
    const texts = train.map((t) => t.norm);
    const labels = train.map((t) => t[type]!);
    const score = (m: FastTextModel, split: "dev" | "test"): Scores => {
      const xs = d[split].filter((t) => t[type] !== null);
      const r = classificationReport(
        xs.map((t) => t[type]!),
        m.predict(xs.map((t) => t.title)).map((p) => p.label),
      );
      return { accuracy: r.accuracy, macroF1: r.macroF1 };
    };
    const cfg = DEFAULT_FASTTEXT_CONFIG;
    log(
      `${type}: ${train.length} training titles, ${classes.length} classes; settings (both): char ${cfg.minn}-${cfg.maxn}-grams, word ${cfg.wordNgrams}-grams, ` +
        `dim ${cfg.dim}, ${cfg.epochs} epochs, lr ${cfg.lr}, seed ${cfg.seed}; ours on ${threads} thread${threads > 1 ? "s (Hogwild, not reproducible)" : " (deterministic)"}, fastText on ${peerThreads}`,
    );

    const trainTsv = path.join(derivedDir(), "titles-train.tsv");
    const testTsv = path.join(derivedDir(), "titles-test.tsv");
    const ours = { seconds: [] as number[], test: [] as Scores[], dev: [] as Scores[] };
    const peer = { seconds: [] as number[], test: [] as Scores[] };
    let peerMissing: string | null = null;
    for (let r = 1; r <= repeats; r++) {
      const t0 = performance.now();
      const m = threads > 1 ? await trainFastTextThreads(texts, labels, classes, {}, { threads }) : trainFastText(texts, labels, classes);
      const seconds = (performance.now() - t0) / 1000;
      ours.seconds.push(seconds);
      ours.test.push(score(m, "test"));
      ours.dev.push(score(m, "dev"));
      let line = `run ${r}/${repeats}: ours ${seconds.toFixed(2)} s, test accuracy ${f4(ours.test[r - 1].accuracy)}, macro-F1 ${f4(ours.test[r - 1].macroF1)} (dev accuracy ${f4(ours.dev[r - 1].accuracy)})`;
      if (withPeer && !peerMissing) {
        const p = runPeer("fasttext_supervised.py", [trainTsv, testTsv, type, String(peerThreads)]);
        if (p.ok) {
          const m2 = /train_s=([\d.]+) .*accuracy=([\d.]+) macro_f1=([\d.]+)/.exec(p.stdout);
          if (!m2) throw new Error(`bench fasttext: unexpected peer output:\n${p.stdout}`);
          peer.seconds.push(Number(m2[1]));
          peer.test.push({ accuracy: Number(m2[2]), macroF1: Number(m2[3]) });
          line += ` | fastText ${m2[1]} s, test accuracy ${m2[2]}, macro-F1 ${m2[3]}`;
        } else peerMissing = `${p.reason ?? "peer failed"}; fastText's peer needs Debian's fasttext (apt-get install fasttext)`;
      }
      log(line);
    }
    if (peerMissing) log(`fastText peer skipped: ${peerMissing}`);

    const oursS = median(ours.seconds);
    const oursAcc = median(ours.test.map((s) => s.accuracy));
    const oursF1 = median(ours.test.map((s) => s.macroF1));
    const oursDev = median(ours.dev.map((s) => s.accuracy));
    const havePeer = peer.seconds.length > 0;
    const peerS = havePeer ? median(peer.seconds) : null;
    const peerAcc = havePeer ? median(peer.test.map((s) => s.accuracy)) : null;
    const peerF1 = havePeer ? median(peer.test.map((s) => s.macroF1)) : null;
    const speedup = peerS !== null ? peerS / oursS : null;
    const lines = [
      `ours (median of ${repeats}): ${oursS.toFixed(2)} s training, test accuracy ${f4(oursAcc)}, macro-F1 ${f4(oursF1)}; dev accuracy ${f4(oursDev)}`,
      havePeer
        ? `fastText (median of ${peer.seconds.length}): ${peerS!.toFixed(2)} s training, test accuracy ${f4(peerAcc!)}, macro-F1 ${f4(peerF1!)}`
        : "no fastText figures",
      speedup !== null
        ? `fastText seconds / ours: ${speedup.toFixed(2)}x (target: >= 1); accuracy ${oursAcc >= peerAcc! ? ">=" : "<"} fastText's, macro-F1 ${oursF1 >= peerF1! ? ">=" : "<"} fastText's`
        : "no ratio",
    ];
    return {
      name: "fasttext",
      figures: {
        type,
        trainTitles: train.length,
        repeats,
        threads,
        peerThreads,
        oursTrainSeconds: oursS,
        oursTestAccuracy: oursAcc,
        oursTestMacroF1: oursF1,
        oursDevAccuracy: oursDev,
        peerTrainSeconds: peerS,
        peerTestAccuracy: peerAcc,
        peerTestMacroF1: peerF1,
        speedup,
        oursSeconds: ours.seconds.map((x) => x.toFixed(2)).join(" "),
        peerSeconds: havePeer ? peer.seconds.map((x) => x.toFixed(2)).join(" ") : null,
      },
      lines,
    };
  },
});
