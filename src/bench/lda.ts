// Benchmark: our collapsed Gibbs LDA against the npm `lda` package, in token samples per second (tokens × sweeps /
// seconds, each timed over a whole training call). The npm package always runs 10,000 sweeps, so it is timed on a
// seeded subsample of the simulated profiles; ours runs on the same subsample with the same schedule (10,000
// sweeps, 2,000 burn-in, every 10th averaged), then on the full corpus. Runs alternate, back to back, and the
// figures are medians, because the machine is shared.
import { loadDatasets } from "../datasets/build";
import { profileDocuments } from "../models/lda/corpus";
import { trainLda } from "../models/lda/lda";
import { formatNpmTopic, NPM_LDA_SWEEPS, runNpmLda } from "../models/lda/npm-lda";
import { Rng } from "../util/random";
import { intParam, registerBenchmark } from "./registry";

function median(xs: number[]): number {
  const s = xs.slice().sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

const fmt = (x: number): string => `${(x / 1e6).toFixed(2)} M/s`;

registerBenchmark({
  name: "lda",
  params: ["topics", "docs", "repeats", "iterations", "npm"],
  help: "collapsed Gibbs LDA vs the npm lda package, token samples/s (-p topics=20 docs=300 repeats=3 iterations=100 npm=1)",
  async run({ params, log }) {
    const topics = intParam(params, "topics", 20, 1);
    const nDocs = intParam(params, "docs", 300, 1);
    const repeats = intParam(params, "repeats", 3, 1);
    const fullIterations = intParam(params, "iterations", 100, 1);
    const withNpm = params.npm !== "0" && params.npm !== "false";

    const docs = profileDocuments(loadDatasets().profiles);
    const subset = new Rng(20170902).sample(docs, nDocs);
    const fullTokens = docs.reduce((n, d) => n + d.length, 0);
    log(`corpus: ${docs.length} simulated profiles, ${fullTokens} tokens; subsample ${subset.length} profiles; K = ${topics}`);

    const npmRates: number[] = [];
    const subRates: number[] = [];
    const fullRates: number[] = [];
    let npmTopics: string[] = [];
    let ourTopics: string[] = [];
    for (let r = 1; r <= repeats; r++) {
      if (withNpm) {
        const npm = runNpmLda(subset, { topics, seed: r });
        npmRates.push(npm.tokenSamplesPerSecond);
        npmTopics = npm.topics.map(formatNpmTopic);
        log(`  run ${r}: npm lda    ${npm.tokens} tokens × ${NPM_LDA_SWEEPS} sweeps in ${npm.seconds.toFixed(2)} s  ${fmt(npm.tokenSamplesPerSecond)}`);
      }
      let t0 = performance.now();
      const sub = trainLda(subset, { topics, seed: r, iterations: NPM_LDA_SWEEPS, burnIn: 2000, sampleEvery: 10, logLikelihoodEvery: 0 });
      let s = (performance.now() - t0) / 1000;
      subRates.push((sub.tokens * NPM_LDA_SWEEPS) / s);
      ourTopics = Array.from({ length: topics }, (_, k) => sub.formatTopic(k, 5));
      log(`  run ${r}: ours subset ${sub.tokens} tokens × ${NPM_LDA_SWEEPS} sweeps in ${s.toFixed(2)} s  ${fmt(subRates[subRates.length - 1])}`);
      t0 = performance.now();
      const full = trainLda(docs, { topics, seed: r, iterations: fullIterations, logLikelihoodEvery: 0 });
      s = (performance.now() - t0) / 1000;
      fullRates.push((full.tokens * fullIterations) / s);
      log(`  run ${r}: ours full   ${full.tokens} tokens × ${fullIterations} sweeps in ${s.toFixed(2)} s  ${fmt(fullRates[fullRates.length - 1])}`);
    }

    const show = Math.min(5, topics);
    if (withNpm) {
      log(`npm lda topics (first ${show}; its words are stemmed and stripped of "_"):`);
      for (const t of npmTopics.slice(0, show)) log(`  ${t}`);
    }
    log(`our topics on the same subsample (first ${show}):`);
    for (const t of ourTopics.slice(0, show)) log(`  ${t}`);

    const npmRate = withNpm ? median(npmRates) : null;
    const subRate = median(subRates);
    const fullRate = median(fullRates);
    // Each run's npm and subsample timings ran back to back, so their ratio is the paired figure.
    const ratio = npmRate === null ? null : median(npmRates.map((n, i) => subRates[i] / n));
    return {
      name: "lda",
      figures: {
        topics,
        subsetDocs: subset.length,
        fullTokens,
        repeats,
        npmTokenSamplesPerSecond: npmRate,
        oursSubsetTokenSamplesPerSecond: subRate,
        oursFullTokenSamplesPerSecond: fullRate,
        speedup: ratio,
      },
      lines: [
        `medians of ${repeats}: npm lda ${npmRate === null ? "skipped" : fmt(npmRate)} | ours on the subsample ${fmt(subRate)} | ours on the full corpus ${fmt(fullRate)}`,
        ratio === null
          ? "no npm figure (npm=0)"
          : `ours is ${ratio.toFixed(1)}x the npm lda package's token samples/s (median of per-run ratios; target: >= 20x)`,
      ],
    };
  },
});
