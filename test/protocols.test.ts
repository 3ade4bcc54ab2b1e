// The protocols beside the talk's rule, on toy data small enough to check by hand: the baselines, the gate that
// refuses unreadable titles, exact neighbour search (dense and sparse) against brute force, the vote, calibrated
// abstention, and choosing what `jtlab classify` serves from a registry.
import * as fs from "fs";
import * as path from "path";
import { describe, expect, it } from "vitest";
import { OTHER, SimilarityModel } from "../src/core/types";
import { Datasets } from "../src/datasets/build";
import { LabelledTitle } from "../src/datasets/labelled";
import { baselinePredictor, classShares } from "../src/eval/baselines";
import { compareRuns, comparisonText } from "../src/experiments/compare";
import { RunMetrics, SplitMetrics, TypeMetrics } from "../src/experiments/metrics";
import { calibratedPredictor, headProtocol, neighboursProtocol, voteScorer } from "../src/experiments/protocols";
import { listRuns, RunRecord } from "../src/experiments/registry";
import { choicesFor, choose } from "../src/experiments/served";
import { TitleGate } from "../src/models/abstain/gate";
import { buildIndex, encodeTitles } from "../src/models/neighbours/vector-index";
import { argmaxLabels, NeighbourVoter } from "../src/models/neighbours/voter";
import { fitCalibrator } from "../src/eval/calibration";
import { baselineRows, belowMajority, protocolRows, resultsTable } from "../src/report/comparison";
import { Rng, murmur3 } from "../src/util/random";
import { tmpDir } from "./helpers";

const lt = (title: string, role: string | null, industry: string | null = "Information Technology"): LabelledTitle => ({ title, norm: title.toLowerCase(), sources: ["onet-alternate"], groups: [], roles: role ? [role] : [], role, industries: industry ? [industry] : [], industry });

const TRAIN: LabelledTitle[] = [
  ...["software engineer", "java developer", "python developer", "backend engineer", "frontend developer", "software developer"].map((t) => lt(t, "Engineering")),
  ...["registered nurse", "nurse aide", "head nurse", "charge nurse", "nurse practitioner"].map((t) => lt(t, "Other Operations", "Health & Fitness")),
  ...["sales representative", "account executive", "sales manager", "sales associate"].map((t) => lt(t, "Sales & Account Mgmt", "Transportation & Supply Chain, Retail")),
  lt("unlabelled title", null, null),
];
const DEV: LabelledTitle[] = [lt("senior java developer", "Engineering"), lt("night nurse", "Other Operations", "Health & Fitness"), lt("sales rep", "Sales & Account Mgmt", "Transportation & Supply Chain, Retail"), lt("software engineer ii", "Engineering")];
const toyData = (): Datasets => ({ fingerprint: "toy", config: {} as Datasets["config"], train: TRAIN, dev: DEV, test: DEV, testAmbiguous: 0, levelDev: [{ title: "ceo", level: "CEO/(Co)Founder/Owner", source: "talk", norm: "ceo" }], levelTest: [], profiles: [] });

/** Char-trigram counts hashed into 32 dims: a dense toy embedding where shared trigrams mean similar titles. */
const toyModel: SimilarityModel = {
  name: "toy",
  dim: 32,
  async encode(titles) {
    const out = new Float32Array(titles.length * 32);
    titles.forEach((t, i) => {
      const s = ` ${t.toLowerCase()} `;
      for (let j = 0; j + 3 <= s.length; j++) out[i * 32 + (murmur3(s.slice(j, j + 3)) % 32)] += 1;
    });
    return out;
  },
  similarityMatrix: () => new Float32Array(0),
};

function brute(rows: Float32Array, q: Float32Array, dim: number, k: number): number[] {
  const n = rows.length / dim;
  const unit = (x: Float32Array, i: number): number[] => {
    const v = Array.from(x.subarray(i * dim, (i + 1) * dim));
    const s = Math.sqrt(v.reduce((a, b) => a + b * b, 0)) || 1;
    return v.map((y) => y / s);
  };
  const qv = unit(q, 0);
  const sc = Array.from({ length: n }, (_, r) => ({ r, s: unit(rows, r).reduce((a, v, j) => a + v * qv[j], 0) }));
  return sc.sort((a, b) => b.s - a.s || a.r - b.r).slice(0, k).map((x) => x.r);
}

describe("baselines", () => {
  const d = toyData();
  it("majority answers the training split's biggest class; stratified draws in proportion, the same way every time", async () => {
    expect(classShares(d, "role")[0][0]).toBe("Engineering");
    const titles = Array.from({ length: 400 }, (_, i) => `title ${i}`);
    expect((await baselinePredictor("majority", d).predict(titles, "role")).every((l) => l.label === "Engineering")).toBe(true);
    const a = (await baselinePredictor("stratified", d).predict(titles, "role")).map((l) => l.label);
    expect((await baselinePredictor("stratified", d).predict(titles.slice().reverse(), "role")).map((l) => l.label).reverse()).toEqual(a);
    const share = a.filter((l) => l === "Engineering").length / a.length;
    expect(share).toBeGreaterThan(0.3);
    expect(share).toBeLessThan(0.55);
  });
});

describe("the gate", () => {
  const gate = new TitleGate(TRAIN.map((t) => t.title));
  it("refuses titles with no letters, in another script, or with no word like a training word", () => {
    expect(gate.check("10/6;")).toMatch(/no letters/);
    expect(gate.check("软件工程师")).toMatch(/not in Latin script/);
    expect(gate.check("asdfgh qwerty")).toMatch(/no word like those/);
    expect(gate.check("Have!")).toMatch(/no word like those/);
  });
  it("lets real titles through, typos included", () => {
    for (const t of ["Software Engineer", "Sofware Enginer", "Senior Java Developer @ Acme", "NURSE"]) expect(gate.check(t)).toBeNull();
  });
});

describe("exact neighbour search", () => {
  it("dense and sparse indexes agree with brute force", async () => {
    const rng = new Rng(5);
    for (const density of [1, 0.03]) {
      const n = 300;
      const dim = 200;
      const rows = new Float32Array(n * dim).map(() => (rng.next() < density ? rng.next() : 0));
      for (let r = 0; r < n; r++) rows[r * dim + (r % dim)] += 0.5; // no empty rows
      const model = { dim, encode: async (t: readonly string[]) => rows.slice(Number(t[0]) * dim, (Number(t[0]) + t.length) * dim) };
      const encoded = await encodeTitles(model, Array.from({ length: n }, (_, i) => String(i)), 64);
      expect(encoded.sparse !== undefined).toBe(density < 0.05);
      const index = buildIndex(encoded);
      for (const qi of [0, 17, 299]) {
        const q = rows.slice(qi * dim, (qi + 1) * dim);
        const hits = await index.search(q, 7);
        const want = brute(rows, q, dim, 7);
        // Sparse search leaves out rows of cosine 0; none of these queries has fewer than 7 others sharing a bucket.
        expect(Array.from(hits.indices)).toEqual(want);
      }
    }
  });

  it("votes: the class of most nearby labelled titles, weighted as asked, with the titles as evidence", async () => {
    const titles = TRAIN.filter((t) => t.role).map((t) => t.title);
    const labels = TRAIN.filter((t) => t.role).map((t) => t.role!);
    const voter = new NeighbourVoter(buildIndex(await encodeTitles(toyModel, titles)), titles, labels);
    const hits = await voter.search(await toyModel.encode(["senior python developer", "nurse"]), 5);
    const t = voter.table(hits, { k: 5, weighting: "similarity" }, 3);
    expect(argmaxLabels(t).map((b) => b.label)).toEqual(["Engineering", "Other Operations"]);
    expect(t.evidence![0]).toHaveLength(3);
    expect(t.evidence![0][0].title).toBe("python developer");
    expect(t.evidence![0][0].similarity).toBeGreaterThan(t.evidence![0][2].similarity);
  });
});

describe("protocols on toy data", () => {
  const d = toyData();
  const level = { name: "level", predict: (ts: readonly string[]) => ts.map(() => ({ label: OTHER, score: 0 })) };

  it("neighbours: settings chosen on dev and recorded, answers calibrated, unreadable titles Other with a reason", async () => {
    const p = await neighboursProtocol(toyModel, d, { name: "toy", level });
    expect(p.record.protocol).toBe("neighbours");
    expect((p.record.settings.role as { k: number }).k).toBeGreaterThanOrEqual(1);
    expect(p.record.calibration.role?.method).toBe("isotonic");
    p.evidence = 2;
    const [a, b] = await p.predict(["java developer senior", "软件工程师"], "role");
    expect(a.best).toBe("Engineering");
    expect(a.score).toBeGreaterThanOrEqual(0);
    expect(a.score).toBeLessThanOrEqual(1);
    expect(a.evidence).toHaveLength(2);
    expect(b).toMatchObject({ label: OTHER, score: 0, abstained: expect.stringMatching(/Latin/) });
    // Rebuilt from its record (what `jtlab classify --run` does), it answers the same.
    const again = await neighboursProtocol(toyModel, d, { name: "toy", level, record: p.record });
    expect((await again.predict(["java developer senior"], "role"))[0]).toMatchObject({ label: a.label, score: a.score });
  });

  it("head: a linear softmax on the frozen vectors, rebuilt identically from its saved weights", async () => {
    const h = await headProtocol(toyModel, d, { name: "toy", level, seed: 3, epochs: 30 });
    const heads = { role: h.heads.role.toJSON(), industry: h.heads.industry.toJSON() };
    const again = await headProtocol(toyModel, d, { name: "toy", level, record: h.record, heads });
    const titles = ["backend developer", "head nurse", "sales manager"];
    expect(await again.predict(titles, "role")).toEqual(await h.predict(titles, "role"));
  });

  it("calibration: a probability under 0.5 is Other, its best class kept", async () => {
    const scorer = async (titles: readonly string[]) => ({ classes: ["A", "B"], scores: Float32Array.from(titles.flatMap((t) => (t === "sure" ? [0.9, 0.1] : [0.4, 0.3]))) });
    const cal = fitCalibrator("platt", [0.9, 0.9, 0.9, 0.4, 0.4, 0.4], [1, 1, 1, 0, 0, 1]);
    const p = calibratedPredictor("x", { protocol: "head", settings: {}, calibration: {} }, scorer, { role: cal, industry: cal }, new TitleGate(["sure thing", "unsure thing"]), level);
    const [sure, unsure] = await p.predict(["sure", "unsure"], "role");
    expect(sure.label).toBe("A");
    expect(sure.score).toBeGreaterThan(0.5);
    expect(unsure).toMatchObject({ label: OTHER, best: "A" });
    expect(unsure.score).toBeLessThan(0.5);
  });

  it("a vote averages its members' rows, each scaled to sum to 1, with weights", async () => {
    const m1 = async () => ({ classes: ["A", "B"], scores: Float32Array.of(0.9, 0.1) });
    const m2 = async () => ({ classes: ["B", "C"], scores: Float32Array.of(2, 2) });
    const t = await voteScorer([{ scorer: m1, weight: 0.5 }, { scorer: m2, weight: 0.5 }])(["x"], "role", 0);
    expect(t.classes).toEqual(["A", "B", "C"]);
    expect(Array.from(t.scores).map((v) => Math.round(v * 1000) / 1000)).toEqual([0.45, 0.3, 0.25]);
  });
});

const tm = (accuracy: number, macroF1: number): TypeMetrics => ({ accuracy, macroF1, coverage: 1, perClass: [{ label: "Engineering", f1: macroF1, support: 3 }] });
const sm = (role: number, f1: number): SplitMetrics => ({ levelGold: "dev", role: tm(role, f1), industry: tm(0.5, 0.4), level: null, golden: { passed: 0, total: 0, failures: [] } });

let order = 0;
function writeRun(root: string, id: string, method: string, metrics: RunMetrics): void {
  const rec = { schema: 2, id, name: id, method, kind: "train", params: {}, seed: 1, git: { commit: null, dirty: null }, data: null, backend: null, versions: {}, started: `2026-01-01T00:00:0${order++}.000Z`, ended: null, seconds: 1, status: "ok", error: null, artifacts: {}, notes: [], metrics };
  fs.mkdirSync(path.join(root, id), { recursive: true });
  fs.writeFileSync(path.join(root, id, "run.json"), JSON.stringify(rec));
}

describe("tables and choices from a hand-made registry", () => {
  const root = tmpDir("jtlab-proto-");
  writeRun(root, "r-tfidf", "char-tfidf", {
    protocol: "representatives",
    dev: sm(0.3, 0.2),
    test: sm(0.31, 0.25),
    protocols: { neighbours: { dev: sm(0.8, 0.6), test: sm(0.81, 0.57), settings: { role: { k: 10, weighting: "similarity" } } } },
  });
  writeRun(root, "r-fasttext", "fasttext", { protocol: "head", dev: sm(0.84, 0.55), test: sm(0.86, 0.65), protocols: { head: { dev: sm(0.84, 0.55), test: sm(0.86, 0.65), settings: {} } } });
  const runs: RunRecord[] = listRuns(root);
  const majority = { name: "baseline: majority class", metrics: { dev: sm(0.55, 0.04), test: sm(0.557, 0.038) } as RunMetrics };

  it("the best method and protocol on dev macro-F1 is served by default; a named protocol narrows the choice", () => {
    expect(choicesFor("role", runs).map((c) => `${c.method}/${c.protocol}`)).toEqual(["char-tfidf/neighbours", "fasttext/head", "char-tfidf/representatives"]);
    expect(choose("role", {}, runs)).toMatchObject({ method: "char-tfidf", protocol: "neighbours", runId: "r-tfidf" });
    expect(choose("role", { method: "char-tfidf", protocol: "representatives" }, runs).devMacroF1).toBe(0.2);
    expect(() => choose("role", { method: "lda" }, runs)).toThrow(/lda models people .* it cannot classify a title/);
    expect(() => choose("role", { method: "bert" }, runs)).toThrow(/no finished run of method "bert" .*methods with runs: char-tfidf, fasttext\); run `npm run reproduce`/);
    expect(() => choose("role", { method: "char-tfidf", protocol: "head" }, runs)).toThrow(/protocol "head" was not recorded for char-tfidf \(recorded: neighbours, representatives\)/);
  });

  it("a named run answers with its best protocol on dev, not the one its notebook trained; `among` narrows what may answer", () => {
    // r-tfidf trained representatives (dev role macro-F1 0.2) and recorded neighbours (0.6).
    expect(choose("role", { run: "r-tfidf" }, runs)).toMatchObject({ protocol: "neighbours", devMacroF1: 0.6 });
    expect(choose("role", { run: "r-tfidf", protocol: "representatives" }, runs).protocol).toBe("representatives");
    expect(choose("role", { run: "r-tfidf", among: ["representatives", "head"] }, runs).protocol).toBe("representatives");
    // Equal dev figures keep the run's own protocol first.
    expect(choose("industry", { run: "r-tfidf" }, runs).protocol).toBe("representatives");
    expect(() => choose("role", { run: "r-fasttext", among: ["representatives"] }, runs)).toThrow(/no recorded protocol among representatives can answer role \(recorded: head\)/);
  });

  it("results tables lead with the baselines and flag rows below the majority baseline", () => {
    const rows = [...baselineRows([{ kind: "majority", ...majority }]), ...protocolRows(runs.map((run) => ({ key: run.method, label: run.method, run })))];
    const table = resultsTable(rows);
    expect(table.map((r) => `${r.method}/${r.protocol}`)).toEqual(["baseline: majority class/—", "char-tfidf/representatives", "char-tfidf/neighbours", "fasttext/head"]);
    expect(table[1]["below majority"]).toBe("▼ role acc");
    expect(table[2]["below majority"]).toBe("");
    expect(belowMajority(rows[1], rows[0])).toEqual(["role acc"]);
  });

  it("`jtlab exp compare` puts the baselines first and marks figures below the majority", () => {
    const c = compareRuns(runs, ["test.role.accuracy"], [majority]);
    expect(c.runs.map((r) => r.id)).toEqual(["baseline: majority class", "r-tfidf", "r-fasttext"]);
    expect(c.belowMajority!["r-tfidf"]).toEqual(["test.role.accuracy"]);
    expect(comparisonText(c)).toMatch(/0\.3100▼/);
  });
});
