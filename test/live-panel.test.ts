// The live classifier panel in headless Chromium (issue 16): a tiny Siamese run trained into its own registry, its
// panel rendered in a report through renderReport with a canned notebook that holds the panel's output (what
// `liveClassifier` sends under `jtlab run`), opened from file:// with networking off and every non-file request
// blocked. Ten titles typed into the page must get the answers `jtlab classify --run ID --json` gives: same labels,
// scores within 1e-4. Titles are user input, shown as text. A self-contained report and a bundled one work alone in
// an empty folder; a linked report without its assets/ says what is missing. The panel answers each category type
// with the protocols a page can carry (representatives, head), so its answers are compared with
// `jtlab classify --run ID --protocol P` for that type's P, and the page must say where plain `classify --run` differs.
// JTLAB_LIVE_PANEL_QUICK=1 (set by .ci/run) trains the quick profile's Siamese model (notebook 04's, without MELO) for
// these checks instead of the tiny run; JTLAB_LIVE_PANEL_RUN=<run folder> takes an already trained run (its registry is
// copied, never written).
import * as fs from "fs";
import * as path from "path";
import type { Page } from "playwright-core";
import { beforeAll, describe, expect, it } from "vitest";
import type { CategoryType } from "../src/core/types";
import type { PanelModel } from "../src/export/panel-model";
import type { Notebook } from "../src/notebook/nbformat";
import { projectRoot } from "../src/data/paths";
import { chromiumSkipReason, withReport } from "./browser";
import { classifyPerType, runCli, smallRecordedSiameseRun, tmpDir } from "./helpers";

const skip = chromiumSkipReason();
if (skip) console.log(`skipping live panel browser tests: ${skip}`);

/** A Siamese run folder (e.g. the quick profile's, from notebook 04) to test instead of a freshly trained tiny run. */
const GIVEN_RUN = process.env.JTLAB_LIVE_PANEL_RUN;
/** Train the quick profile's model (what CI checks the panel on). */
const QUICK = process.env.JTLAB_LIVE_PANEL_QUICK === "1";

const TYPES: CategoryType[] = ["role", "level", "industry"];
const TITLES = [
  "Head of People & Culture",
  "Senior Java Developer",
  "Sr. SWE @ Acme - Boston, MA",
  "Registered Nurse",
  "Founder & CEO",
  "Directrice des ressources humaines",
  "软件工程师",
  "<script>alert(1)</script>",
  "Bartendar",
  "Account Manager (Remote)",
];

interface CliAnswer {
  label: string;
  score: number;
  best?: string;
  abstained?: string;
  protocol: string;
  evidence: { title: string; label: string; similarity: number }[];
}
type CliRow = { title: string } & Record<CategoryType, CliAnswer>;

interface PageAnswer {
  title: string;
  answers?: Record<CategoryType, { label: string; score: number; best?: string; abstained?: string; protocol: string; evidence?: { title: string }[] }>;
  pinned?: { title: string; similarity: number }[];
}

function cannedNotebook(model: PanelModel, mime: string): Notebook {
  return {
    nbformat: 4,
    nbformat_minor: 5,
    metadata: { jtlab: { status: "ok", notebook: "live-panel" } },
    cells: [
      { cell_type: "markdown", source: ["## Try the model\n", "Type a title."], metadata: {} },
      {
        cell_type: "code",
        source: ["await liveClassifier(x.run.record.id);"],
        metadata: { jtlab: { status: "ok", duration: 1 } },
        execution_count: 1,
        outputs: [{ output_type: "display_data", data: { [mime]: JSON.stringify(model) }, metadata: {} }],
      },
    ],
  } as unknown as Notebook;
}

/** Waits until the panel has answered `title` (or said it is empty) and returns what it holds. */
async function answerOf(page: Page, title: string | null): Promise<{ state: string; answer: PageAnswer; text: string }> {
  await page.waitForFunction(
    (t) => {
      const e = document.querySelector<HTMLElement>(".jtlab-live");
      if (!e) return false;
      if (e.dataset.state === "error") return true;
      if (e.dataset.state !== "ready" && e.dataset.state !== "empty") return false;
      return t === null || JSON.parse(e.dataset.answer ?? "{}").title === t;
    },
    title,
    { timeout: 60_000 },
  );
  const panel = page.locator(".jtlab-live");
  return { state: (await panel.getAttribute("data-state"))!, answer: JSON.parse((await panel.getAttribute("data-answer")) ?? "{}"), text: await panel.innerText() };
}

describe.skipIf(skip !== null)("the live classifier panel in headless Chromium", () => {
  const root = tmpDir("jtlab-live-");
  const runs = path.join(root, "runs");
  const out = path.join(root, "report");
  const report = path.join(out, "live.html");
  const env = { JTLAB_RUNS_DIR: runs };
  let runId = "";
  let model: PanelModel;
  let mime = "";
  let cli: CliRow[] = [];
  let plain: CliRow[] = [];
  /** Dev macro-F1 per type of the protocol the page answers with and of plain classify's. */
  const dev = {} as Record<CategoryType, { page: number; best: number }>;
  let nb: Notebook;

  beforeAll(async () => {
    const old = process.env.JTLAB_RUNS_DIR;
    process.env.JTLAB_RUNS_DIR = runs;
    try {
      const { loadDatasets } = await import("../src/datasets/build");
      const { buildPanelModel } = await import("../src/report/live-classifier");
      const d = loadDatasets();
      if (GIVEN_RUN) {
        // A copy, so that nothing is written into the registry the run came from.
        runId = path.basename(path.resolve(GIVEN_RUN));
        fs.cpSync(GIVEN_RUN, path.join(runs, runId), { recursive: true });
      } else if (QUICK) {
        const { runExperiment } = await import("../src/experiments/pipeline");
        const { siameseSpec } = await import("../src/experiments/methods");
        const { siameseRunConfig } = await import("../src/experiments/configs");
        const x = await runExperiment(siameseSpec(siameseRunConfig("quick", {})), { melo: false, log: () => undefined, datasets: d });
        runId = x.run.record.id;
      } else {
        runId = await smallRecordedSiameseRun({ datasets: d });
      }
      model = await buildPanelModel(runId, { datasets: d });
      const { choose } = await import("../src/experiments/served");
      const { PANEL_PROTOCOLS } = await import("../src/report/live-classifier");
      for (const t of TYPES) dev[t] = { page: choose(t, { run: runId, among: PANEL_PROTOCOLS }).devMacroF1, best: choose(t, { run: runId }).devMacroF1 };
    } finally {
      if (old === undefined) delete process.env.JTLAB_RUNS_DIR;
      else process.env.JTLAB_RUNS_DIR = old;
    }
    const { renderReport } = await import("../src/report/html");
    const { ensurePanelAssets, LIVE_CLASSIFIER_MIME } = await import("../src/report/panel-html");
    mime = LIVE_CLASSIFIER_MIME;
    nb = cannedNotebook(model, mime);
    fs.mkdirSync(out, { recursive: true });
    ensurePanelAssets(out, nb);
    fs.writeFileSync(report, renderReport(nb, { title: "live", plotly: "link" }));
    // What classify gives with the protocol the panel answers each type with, and with none named (best on dev).
    cli = classifyPerType<CliAnswer>(runId, TITLES, model.classifier.served, env);
    const classify = (): CliRow[] => {
      const r = runCli(["classify", "--run", runId, "--json", ...TITLES], env);
      expect(r.status, r.stderr).toBe(0);
      return JSON.parse(r.stdout) as CliRow[];
    };
    plain = classify();
  }, 1_800_000);

  it("answers with the best protocol on dev a page can carry, and says where plain jtlab classify --run answers better", async () => {
    for (const t of TYPES) expect(["representatives", "head"]).toContain(model.classifier.served[t]);
    expect(model.neighbours).toBeUndefined();
    // The types where plain classify uses another protocol that does better on dev (a tie costs the page nothing).
    const differ = TYPES.filter((t) => plain[0][t].protocol !== model.classifier.served[t] && dev[t].best !== dev[t].page);
    expect((model.notes ?? []).length).toBe(differ.length ? 1 : 0);
    await withReport(report, { offline: true }, async ({ page }) => {
      const { text } = await answerOf(page, null);
      const names = { role: "Functional Role", level: "Level", industry: "Industry" };
      for (const t of differ) expect(text).toContain(`${names[t]} by the ${model.classifier.served[t]} protocol (dev macro-F1 ${dev[t].page.toFixed(3)})`);
      for (const t of TYPES.filter((x) => !differ.includes(x))) expect(text).not.toContain(`${names[t]} by the`);
      if (differ.length) expect(text).toContain(`jtlab classify --run ${runId} --protocol ${model.classifier.served[differ[0]]}`);
    });
  }, 120_000);

  it("answers ten typed titles as jtlab classify --run --json does, offline from file://, titles shown as text", async () => {
    await withReport(report, { offline: true }, async ({ page, errors, externalRequests }) => {
      const dialogs: string[] = [];
      page.on("dialog", (d) => {
        dialogs.push(d.message());
        void d.dismiss();
      });
      const first = await answerOf(page, null);
      expect(first.state, first.text).toBe("ready");
      for (const [i, title] of TITLES.entries()) {
        await page.fill(".jtlab-live input", title);
        const { state, answer, text } = await answerOf(page, title);
        expect(state, `${title}: ${text}`).toBe("ready");
        const want = cli[i];
        expect(want.title).toBe(title);
        for (const type of TYPES) {
          const a = answer.answers![type];
          const b = want[type];
          expect(a.label, `${title} ${type}`).toBe(b.label);
          expect(a.protocol, `${title} ${type}`).toBe(b.protocol);
          expect(a.best && a.best !== a.label ? a.best : undefined, `${title} ${type}`).toBe(b.best);
          expect(a.abstained, `${title} ${type}`).toBe(b.abstained);
          // classify --json rounds to 4 decimals.
          expect(Math.abs(a.score - b.score), `${title} ${type}: ${a.score} vs ${b.score}`).toBeLessThanOrEqual(1e-4);
          expect((a.evidence ?? []).map((e) => e.title), `${title} ${type}`).toEqual(b.evidence.map((e) => e.title));
        }
        expect(answer.pinned!.map((p) => p.title)).toEqual(["Sales", "Account Manager", "Marketing", "Creative Director"]);
        for (const p of answer.pinned!) expect(p.similarity).toBeGreaterThanOrEqual(0);
        // The typed title is on the page as the characters typed.
        expect(text).toContain(`Answers for "${title}"`);
      }
      // The script title stayed text: no alert, no script element inside the panel.
      expect(dialogs).toEqual([]);
      expect(await page.locator(".jtlab-live script").count()).toBe(0);
      await page.fill(".jtlab-live input", "");
      const empty = await answerOf(page, "");
      expect(empty.state).toBe("empty");
      expect(empty.text).toMatch(/Type a job title to classify it \(the box is empty\)/);
      // An example chip answers too.
      await page.getByRole("button", { name: "Founder & CEO" }).click();
      expect((await answerOf(page, "Founder & CEO")).state).toBe("ready");
      expect(externalRequests).toEqual([]);
      expect(errors).toEqual([]);
    });
  }, 300_000);

  it("the pinned similarities are the model's, recomputed per typed title: \"Sales\" is most similar to the pinned \"Sales\"", async () => {
    await withReport(report, { offline: true }, async ({ page }) => {
      await answerOf(page, null);
      await page.fill(".jtlab-live input", "Sales");
      const a = (await answerOf(page, "Sales")).answer;
      await page.fill(".jtlab-live input", "Registered Nurse");
      const b = (await answerOf(page, "Registered Nurse")).answer;
      // Sales against itself is the model's similarity of two equal rows: the largest of its four.
      expect(a.pinned![0].similarity).toBe(Math.max(...a.pinned!.map((p) => p.similarity)));
      expect(b.pinned!.map((p) => p.similarity)).not.toEqual(a.pinned!.map((p) => p.similarity));
    });
  }, 120_000);

  it("adds little to the linked report: tfjs, the panel and the model are shared assets", () => {
    const html = fs.readFileSync(report, "utf8");
    expect(html).toContain('<script src="assets/tf.min.js"></script>');
    expect(html).toContain('<script src="assets/jtlab-panel.js"></script>');
    expect(html).toContain(`<script src="assets/model-${runId}.js"></script>`);
    expect(Buffer.byteLength(html)).toBeLessThan(100_000);
    for (const f of ["tf.min.js", "jtlab-panel.js", `model-${runId}.js`]) expect(fs.existsSync(path.join(out, "assets", f)), f).toBe(true);
  });

  it("a self-contained report and a bundled one work alone in an empty folder, offline", async () => {
    const { renderReport } = await import("../src/report/html");
    const { bundleReport } = await import("../src/report/bundle");
    const alone = tmpDir("jtlab-live-alone-");
    const inline = path.join(alone, "inline.html");
    fs.writeFileSync(inline, renderReport(nb, { title: "live", plotly: "inline" }));
    const bundled = bundleReport(report, { out: path.join(tmpDir("jtlab-live-bundle-"), "live.bundle.html") });
    expect(bundled.inlined).toEqual(expect.arrayContaining(["assets/tf.min.js", "assets/jtlab-panel.js", `assets/model-${runId}.js`]));
    const lonely = path.join(tmpDir("jtlab-live-alone-"), "live.bundle.html");
    fs.copyFileSync(bundled.out, lonely);
    for (const file of [inline, lonely]) {
      expect(fs.readdirSync(path.dirname(file))).toEqual([path.basename(file)]);
      await withReport(file, { offline: true }, async ({ page, errors, externalRequests }) => {
        await answerOf(page, null);
        await page.fill(".jtlab-live input", TITLES[0]);
        const { state, answer } = await answerOf(page, TITLES[0]);
        expect(state, file).toBe("ready");
        for (const type of TYPES) {
          expect(answer.answers![type].label, `${file} ${type}`).toBe(cli[0][type].label);
          expect(Math.abs(answer.answers![type].score - cli[0][type].score)).toBeLessThanOrEqual(1e-4);
        }
        expect(externalRequests).toEqual([]);
        expect(errors).toEqual([]);
      });
    }
  }, 300_000);

  it("jtlab run of a notebook that calls liveClassifier writes a report whose panel answers, its model in assets/", async () => {
    const fixture = path.join(projectRoot(), "test", "fixtures", "notebooks", "live-panel.ipynb");
    const dir = tmpDir("jtlab-live-run-");
    const r = runCli(["run", fixture, "-p", `run=${runId}`, "--out", dir, "--quiet"], env);
    expect(r.status, r.stderr).toBe(0);
    const executed = JSON.parse(fs.readFileSync(path.join(dir, "live-panel.ipynb"), "utf8"));
    const outputs = executed.cells.flatMap((c: { outputs?: { data?: Record<string, unknown> }[] }) => c.outputs ?? []);
    const panelOut = outputs.find((o: { data?: Record<string, unknown> }) => o.data && mime in o.data);
    // The executed notebook holds a reference to the model script, not the model: it stays small.
    const v = panelOut.data[mime];
    const ref = typeof v === "string" ? JSON.parse(v) : v;
    expect(ref).toMatchObject({ format: "jtlab-panel-ref", run: runId });
    expect(fs.statSync(path.join(dir, "live-panel.ipynb")).size).toBeLessThan(100_000);
    const asset = path.join(dir, "assets", `model-${runId}.js`);
    expect(fs.readFileSync(asset).equals(fs.readFileSync(ref.file))).toBe(true);
    expect(fs.statSync(asset).size).toBe(ref.bytes);
    await withReport(path.join(dir, "live-panel.html"), { offline: true }, async ({ page, errors, externalRequests }) => {
      await answerOf(page, null);
      await page.fill(".jtlab-live input", TITLES[0]);
      const { state, answer } = await answerOf(page, TITLES[0]);
      expect(state).toBe("ready");
      for (const type of TYPES) expect(answer.answers![type].label, type).toBe(cli[0][type].label);
      expect(externalRequests).toEqual([]);
      expect(errors).toEqual([]);
    });
  }, 300_000);

  it("a linked report without its assets/ says what is missing instead of a blank panel", async () => {
    const file = path.join(tmpDir("jtlab-live-noassets-"), "live.html");
    fs.copyFileSync(report, file);
    await withReport(file, { offline: true }, async ({ page }) => {
      const { state, text } = await answerOf(page, null);
      expect(state).toBe("error");
      expect(text).toMatch(/assets\/tf\.min\.js.*jtlab report bundle/s);
    });
  }, 120_000);
});
