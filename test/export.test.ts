// `jtlab export` round trip: a small word-aware Siamese run (the variant whose tower splits its ids with a custom
// layer) trained into its own registry, exported, then read back in a FRESH Node process that imports only
// src/export/read.ts and src/export/classifier.ts: its answers must be those of `jtlab classify --run` (servePerType
// in this process) — same labels, scores within 1e-5 on the float paths (representatives, head), and on the int8
// neighbours path the same labels with each neighbour's similarity within the per-query bound the export states.
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as path from "path";
import { beforeAll, describe, expect, it } from "vitest";
import type { CategoryType, Labelled } from "../src/core/types";
import { Datasets } from "../src/datasets/build";
import { projectRoot } from "../src/data/paths";
import type { ExportAnswer } from "../src/export/classifier";
import { runCli, smallRecordedSiameseRun, tmpDir } from "./helpers";

const TYPES: CategoryType[] = ["role", "level", "industry"];
const TITLES = [
  "Head of People & Culture",
  "Sr. SWE @ Acme - Boston, MA",
  "Registered Nurse",
  "CFO",
  "Bartendar",
  "Data Scientist II",
  "Founder & CEO",
  "asdfgh",
  "软件工程师",
  "Account Manager (Remote)",
];

interface Fresh {
  served: Record<CategoryType, string>;
  protocols: string[];
  answers: Record<CategoryType, ExportAnswer>[];
}

/** The export's answers from a new Node process that loads only the export's reader and pure classifier. */
function freshClassify(dir: string, protocol: string, titles: string[]): Fresh {
  const script = path.join(projectRoot(), "test", "fixtures", "export-classify.ts");
  const r = spawnSync(process.execPath, ["--import", "tsx", script, dir, protocol, ...titles], { cwd: projectRoot(), encoding: "utf8", timeout: 120_000 });
  if (r.status !== 0) throw new Error(`export-classify exited ${r.status}: ${r.stderr}`);
  return JSON.parse(r.stdout) as Fresh;
}

describe("jtlab export", () => {
  const root = tmpDir("jtlab-export-");
  const runs = path.join(root, "runs");
  const out = path.join(root, "export");
  const env = { JTLAB_RUNS_DIR: runs };
  let runId = "";
  let d: Datasets;
  const inProcess = {} as Record<string, Record<CategoryType, Labelled[]>>;
  /** The protocol `jtlab classify --run` answers each category type with (best on dev among those the run recorded). */
  const servedBy = {} as Record<CategoryType, string>;

  const withRuns = async <T>(fn: () => Promise<T>): Promise<T> => {
    const old = process.env.JTLAB_RUNS_DIR;
    process.env.JTLAB_RUNS_DIR = runs;
    try {
      return await fn();
    } finally {
      if (old === undefined) delete process.env.JTLAB_RUNS_DIR;
      else process.env.JTLAB_RUNS_DIR = old;
    }
  };

  beforeAll(async () => {
    await withRuns(async () => {
      const { loadDatasets } = await import("../src/datasets/build");
      const { exportRun } = await import("../src/export/write");
      const { servePerType } = await import("../src/experiments/served");
      // Enough for the neighbours and head protocols to be recorded.
      runId = await smallRecordedSiameseRun();
      d = loadDatasets();
      await exportRun({ run: runId, out }, d);
      for (const protocol of ["representatives", "neighbours", "head"]) {
        const served = await servePerType({ run: runId, protocol }, d);
        const answers = {} as Record<CategoryType, Labelled[]>;
        for (const type of TYPES) {
          const p = served[type].predictor;
          if ("evidence" in p) p.evidence = 5;
          answers[type] = await p.predict(TITLES, type);
        }
        inProcess[protocol] = answers;
      }
      // The neighbours protocol of this process over the very rows the int8 search sees (scale × code): the pure
      // code must give its answers exactly; the int8 loss against float32 is measured apart (recall, the bound).
      const { neighboursProtocol } = await import("../src/experiments/protocols");
      const { readExport } = await import("../src/export/read");
      const { dequantizeRows } = await import("../src/export/quantize");
      const { readRun } = await import("../src/experiments/registry");
      const ex = readExport(out);
      const dim = ex.classifier.dim;
      const rows = { n: ex.neighbours!.titles.length, dim, dense: dequantizeRows({ n: ex.neighbours!.titles.length, dim, codes: ex.neighbours!.codes, scales: ex.neighbours!.scales }) };
      const pm = readRun(runId).metrics.protocols!.neighbours;
      const base = await servePerType({ run: runId }, d);
      for (const type of TYPES) servedBy[type] = base[type].choice.protocol;
      const p = await neighboursProtocol(base.role.similarity!, d, { name: "int8", level: base.level.predictor, rows, record: { protocol: "neighbours", settings: pm.settings as never, calibration: pm.calibration as never } });
      p.evidence = 5;
      inProcess.int8 = { role: await p.predict(TITLES, "role"), level: await p.predict(TITLES, "level"), industry: await p.predict(TITLES, "industry") };
    });
  }, 600_000);

  it("writes a tfjs layers model of standard layers, the tables, the vectors and a manifest of SHA-256s", () => {
    const manifest = JSON.parse(fs.readFileSync(path.join(out, "manifest.json"), "utf8"));
    expect(manifest).toMatchObject({ format: "jtlab-model-export", version: 1, run: runId, method: "siamese-both" });
    for (const f of ["model/model.json", "model/group1-shard1of1.bin", "classifier.json", "representatives.f32", "neighbours.json", "neighbours.i8", "neighbours-scale.f32", "heads.json", "model-card.md"]) {
      expect(manifest.files[f], f).toMatch(/^[0-9a-f]{64}$/);
    }
    const model = JSON.parse(fs.readFileSync(path.join(out, "model/model.json"), "utf8"));
    expect(model.format).toBe("layers-model");
    expect(model.weightsManifest[0].paths).toEqual(["group1-shard1of1.bin"]);
    // Only layers tfjs and Keras know by name: the run's own split layer is not in the exported tower.
    const classes = new Set<string>(model.modelTopology.config.layers.map((l: { class_name: string }) => l.class_name));
    expect([...classes].sort()).toEqual(["Concatenate", "Conv1D", "Embedding", "GlobalMaxPooling1D", "InputLayer"]);
    expect(manifest.int8.recallAtK).toBeGreaterThan(0.8);
    expect(manifest.int8.recallAtK).toBeLessThanOrEqual(1);
    expect(manifest.int8.queries).toBe(d.dev.length);
  });

  it("a fresh process answers with the protocols jtlab classify --run picks (best on dev), as this process does on the same rows", () => {
    const fresh = freshClassify(out, "served", TITLES);
    expect(fresh.served).toEqual(servedBy);
    expect(fresh.protocols).toEqual(["representatives", "neighbours", "head"]);
    // Float protocols within 1e-5 of classify's; the neighbours protocol on the int8 rows it carries (measured apart below).
    const want = {} as Record<CategoryType, Labelled[]>;
    for (const type of TYPES) want[type] = (servedBy[type] === "neighbours" ? inProcess.int8 : inProcess[servedBy[type]])[type];
    compareFloat(fresh, want);
  });

  it("a fresh process answers as jtlab classify --run --protocol representatives does: labels equal, scores within 1e-5", () => {
    compareFloat(freshClassify(out, "representatives", TITLES), inProcess.representatives);
  });

  it("the head protocol, a float path too: labels equal, scores within 1e-5, cleaning and gate as classify", () => {
    const fresh = freshClassify(out, "head", TITLES);
    compareFloat(fresh, inProcess.head);
    expect(fresh.answers[7].role.abstained).toBe(inProcess.head.role[7].abstained);
    expect(fresh.answers[7].role.abstained).toBeTruthy();
    expect(fresh.answers[1].role.cleaned).toBe(inProcess.head.role[1].cleaned);
  });

  it("the neighbours protocol over the int8 rows: labels equal, scores within 1e-5 of this process's on the same rows", () => {
    const fresh = freshClassify(out, "neighbours", TITLES);
    compareFloat(fresh, inProcess.int8);
    TITLES.forEach((t, i) => {
      for (const type of ["role", "industry"] as const) expect(fresh.answers[i][type].evidence, `${t} ${type}`).toEqual(inProcess.int8[type][i].evidence);
    });
  });

  it("int8 against float32 neighbours: each shared neighbour's similarity within the stated bound, most labels equal", () => {
    const fresh = freshClassify(out, "neighbours", TITLES);
    const manifest = JSON.parse(fs.readFileSync(path.join(out, "manifest.json"), "utf8"));
    const bound: number = manifest.int8.similarityBound;
    expect(bound).toBeGreaterThan(0);
    expect(bound).toBeLessThan(0.05);
    let compared = 0;
    let agree = 0;
    TITLES.forEach((t, i) => {
      for (const type of TYPES) {
        const a = fresh.answers[i][type];
        const b = inProcess.neighbours[type][i];
        expect(a.abstained, `${t} ${type}`).toBe(b.abstained);
        if (type === "level") {
          expect(a.label, `${t} ${type}`).toBe(b.label);
          expect(Math.abs(a.score - b.score), `${t} ${type}`).toBeLessThan(1e-5);
          continue;
        }
        // A label can flip where the float answer sits at the operating point or between two classes: int8 moves
        // every similarity a little (the bound), and the calibration is a step-like map.
        if (a.label === b.label) agree++;
        // The same neighbours where the float similarities are farther apart than twice the bound (beyond that the
        // int8 order can swap two of them); every similarity within the bound plus the evidence's 4-decimal rounding.
        const ea = a.evidence ?? [];
        const eb = b.evidence ?? [];
        expect(ea.length).toBe(eb.length);
        const simOf = new Map(eb.map((e) => [e.title, e.similarity]));
        for (const e of ea) {
          const s = simOf.get(e.title);
          if (s === undefined) continue;
          expect(Math.abs(e.similarity - s), `${t}: ${e.title}`).toBeLessThanOrEqual(bound + 1e-4);
          compared++;
        }
      }
    });
    expect(compared).toBeGreaterThan(20);
    expect(agree, "role and industry labels equal to float32's, of 20").toBeGreaterThanOrEqual(16);
  });

  it("model-card.md shows the run's own figures and the int8 recall", () => {
    const card = fs.readFileSync(path.join(out, "model-card.md"), "utf8");
    const rec = JSON.parse(fs.readFileSync(path.join(runs, runId, "run.json"), "utf8"));
    const manifest = JSON.parse(fs.readFileSync(path.join(out, "manifest.json"), "utf8"));
    expect(card).toContain(`run ${runId}`);
    expect(card).toContain(`| representatives | role | ${rec.metrics.test.role.n} | ${(rec.metrics.test.role.accuracy * 100).toFixed(1)}% | ${rec.metrics.test.role.macroF1.toFixed(3)} |`);
    expect(card).toContain(manifest.int8.recallAtK.toFixed(4));
    expect(card).toMatch(/CC BY 4\.0/);
    expect(card).toMatch(/Open Government Licence/);
    expect(card).toContain(`${rec.metrics.messy.n} hand-made messy titles`);
  });

  it("a missing or changed file of the export is an error naming it", () => {
    const copy = path.join(root, "broken");
    fs.cpSync(out, copy, { recursive: true });
    fs.appendFileSync(path.join(copy, "neighbours.i8"), Buffer.from([1]));
    expect(() => freshClassify(copy, "served", ["CFO"])).toThrow(/neighbours\.i8: does not match its recorded SHA-256/);
    fs.rmSync(path.join(copy, "model", "group1-shard1of1.bin"));
    expect(() => freshClassify(copy, "served", ["CFO"])).toThrow(/group1-shard1of1\.bin: is missing/);
    fs.rmSync(path.join(copy, "manifest.json"));
    expect(() => freshClassify(copy, "served", ["CFO"])).toThrow(/manifest\.json: missing from the export/);
  });

  it("refuses a non-empty --out without --force, and keeps the old folder as .prev with it", () => {
    const mine = path.join(root, "mine");
    fs.mkdirSync(mine);
    fs.writeFileSync(path.join(mine, "notes.txt"), "my notes");
    const r = runCli(["export", "--run", runId, "--out", mine], env);
    expect(r.status).not.toBe(0);
    expect(r.stderr).toMatch(/--out .*mine is not empty.*--force/);
    expect(fs.readFileSync(path.join(mine, "notes.txt"), "utf8")).toBe("my notes");
    const f = runCli(["export", "--run", runId, "--out", mine, "--force", "--neighbours", "500"], env);
    expect(f.status, f.stderr).toBe(0);
    expect(fs.readFileSync(path.join(`${mine}.prev`, "notes.txt"), "utf8")).toBe("my notes");
    const n = JSON.parse(fs.readFileSync(path.join(mine, "neighbours.json"), "utf8"));
    expect(Math.abs(n.titles.length - 500)).toBeLessThan(40);
    expect(fs.readFileSync(path.join(mine, "model-card.md"), "utf8")).toMatch(/seeded stratified subset/);
  });

  it("a run of another method is refused, naming its method", async () => {
    const id = await withRuns(async () => {
      const { startRun } = await import("../src/experiments/registry");
      const run = startRun({ name: "rules", method: "heuristic", kind: "train", noData: true });
      run.finish();
      return run.record.id;
    });
    const r = runCli(["export", "--run", id, "--out", path.join(root, "h")], env);
    expect(r.status).not.toBe(0);
    expect(r.stderr).toMatch(new RegExp(`run ${id} is a heuristic run: only Siamese runs export for now`));
    expect(fs.existsSync(path.join(root, "h"))).toBe(false);
  });
});

function compareFloat(fresh: Fresh, want: Record<CategoryType, Labelled[]>): void {
  TITLES.forEach((t, i) => {
    for (const type of TYPES) {
      const a = fresh.answers[i][type];
      const b = want[type][i];
      expect(a.label, `${t} ${type}`).toBe(b.label);
      expect(a.best ?? a.label, `${t} ${type}`).toBe(b.best ?? b.label);
      expect(a.abstained, `${t} ${type}`).toBe(b.abstained);
      expect(Math.abs(a.score - b.score), `${t} ${type}: ${a.score} vs ${b.score}`).toBeLessThan(1e-5);
    }
  });
}
