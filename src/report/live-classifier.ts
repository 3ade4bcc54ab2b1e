// display.liveClassifier for notebooks: `await liveClassifier(runId)` shows a Siamese run's live classifier panel
// (panel-html.ts) right after training. Under `jtlab run` the model script is written once into the registry's
// .panel-models/ folder and the output is a reference to it (a custom MIME type), which the report renders as the
// panel (the model copied into the folder's shared assets/, or inline with --self-contained): the executed notebook
// stays small. In live Jupyter the output is HTML with everything inline (the page may be saved, reloaded or opened
// as nbconvert HTML without a kernel, so nothing is left to fetch); outside a kernel it prints one line.
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { CategoryType, CATEGORY_TYPES } from "../core/types";
import { Datasets, loadDatasets } from "../datasets/build";
import { choose, Choice } from "../experiments/served";
import { listRuns, runsDir } from "../experiments/registry";
import { ExportProtocol } from "../export/format";
import { panelModel, PanelModel } from "../export/panel-model";
import { readExport } from "../export/read";
import { exportRun } from "../export/write";
import { writeFileAtomic } from "../io/atomic";
import { tslabDisplay, underRunner } from "../io/kernel-env";
import { LIVE_CLASSIFIER_MIME, modelScript, newPanelPageState, panelHtml, panelRef, panelSourceOf } from "./panel-html";

export interface LiveClassifierOptions {
  /** The derived data, when the notebook has it loaded already (the gate's words come from its training split). */
  datasets?: Datasets;
}

/**
 * The protocols a page can carry. The neighbours protocol answers from every labelled training title (the quick
 * run's are 17 MB as int8): `jtlab export` carries them, a report does not, so the panel answers each category
 * type with the best of these on dev and says where `jtlab classify --run` would differ.
 */
export const PANEL_PROTOCOLS: readonly ExportProtocol[] = ["representatives", "head"];

const TYPE_NAMES = { role: "Functional Role", level: "Level", industry: "Industry" } as const;

/**
 * What the panel says when it answers a category type with another protocol than `jtlab classify --run` does and
 * loses on dev by it (a tie costs nothing: Level, for one, is answered the same way under neighbours and head).
 * Empty when the page answers as classify does.
 */
export function protocolNotes(run: string): string[] {
  const runs = listRuns();
  const page = Object.fromEntries(CATEGORY_TYPES.map((type) => [type, choose(type, { run, among: PANEL_PROTOCOLS }, runs)])) as Record<CategoryType, Choice>;
  const differ: { type: CategoryType; page: Choice; best: Choice }[] = [];
  for (const type of CATEGORY_TYPES) {
    const best = choose(type, { run }, runs);
    if (best.protocol !== page[type].protocol && best.devMacroF1 !== page[type].devMacroF1) differ.push({ type, page: page[type], best });
  }
  if (!differ.length) return [];
  const f = (x: number): string => x.toFixed(3);
  const list = (parts: string[]): string => (parts.length > 1 ? `${parts.slice(0, -1).join(", ")} and ${parts[parts.length - 1]}` : parts[0]);
  const byProtocol = new Map<string, string[]>();
  for (const type of CATEGORY_TYPES) byProtocol.set(page[type].protocol, [...(byProtocol.get(page[type].protocol) ?? []), TYPE_NAMES[type]]);
  const commands = [...byProtocol].map(([p, types]) => `"jtlab classify --run ${run} --protocol ${p}"${byProtocol.size > 1 ? ` (${list(types)})` : ""}`);
  return [
    `This page answers ${list(differ.map((d) => `${TYPE_NAMES[d.type]} by the ${d.page.protocol} protocol (dev macro-F1 ${f(d.page.devMacroF1)})`))}; ` +
      `"jtlab classify --run" uses ${list(differ.map((d) => `${d.best.protocol} (${f(d.best.devMacroF1)})`))}, whose stored training titles are too large ` +
      `for a page ("jtlab export" carries them). The answers here are those of ${list(commands)}.`,
  ];
}

/**
 * The panel model of a run: exported into a temporary folder (the same code as `jtlab export`, answering with the
 * protocols a page can carry), read back with every file checked, and cut to what those protocols need.
 */
export async function buildPanelModel(run: string, opts: LiveClassifierOptions = {}): Promise<PanelModel> {
  const d = opts.datasets ?? loadDatasets();
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "jtlab-live-"));
  try {
    const out = path.join(tmp, "export");
    await exportRun({ run, out, neighbours: 0, protocols: PANEL_PROTOCOLS }, d);
    const model = panelModel(readExport(out));
    const notes = protocolNotes(model.run);
    return notes.length ? { ...model, notes } : model;
  } finally {
    fs.rmSync(tmp, { recursive: true, force: true });
  }
}

/** Where `jtlab run` keeps a run's panel model script: beside the registry, out of every run's own folder. */
export function panelModelFile(run: string): string {
  return path.join(runsDir(), ".panel-models", `${run.replace(/[^A-Za-z0-9._-]/g, "_")}.js`);
}

/** Shows the live classifier panel of a Siamese run (its id, as `x.run.record.id` after runExperiment). */
export async function liveClassifier(run: string, opts: LiveClassifierOptions = {}): Promise<void> {
  const model = await buildPanelModel(run, opts);
  const t = tslabDisplay();
  if (!t) {
    console.log(`[live classifier: run ${model.run}; open the notebook's report or Jupyter to use it]`);
    return;
  }
  if (underRunner()) {
    const script = modelScript(model);
    const file = panelModelFile(model.run);
    fs.mkdirSync(path.dirname(file), { recursive: true });
    writeFileAtomic(file, script);
    t.display.raw(LIVE_CLASSIFIER_MIME, JSON.stringify(panelRef(model.run, file, script)));
    return;
  }
  t.display.html(panelHtml(panelSourceOf(model), "inline", newPanelPageState(), `jtlab-live-${Math.random().toString(36).slice(2)}`));
}
