// display.liveClassifier for notebooks: `await liveClassifier(runId)` shows a Siamese run's live classifier panel
// (panel-html.ts) right after training. Under `jtlab run` the output is the panel model as a custom MIME type, which
// the report renders as the panel (its tfjs, bundle and model in the folder's shared assets/, or inline with
// --self-contained); in live Jupyter it is HTML with everything inline (the page may be saved, reloaded or opened
// as nbconvert HTML without a kernel, so nothing is left to fetch); outside a kernel it prints one line.
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { CATEGORY_TYPES } from "../core/types";
import { Datasets, loadDatasets } from "../datasets/build";
import { choose } from "../experiments/served";
import { panelModel, PanelModel } from "../export/panel-model";
import { readExport } from "../export/read";
import { exportRun } from "../export/write";
import { tslabDisplay, underRunner } from "../io/kernel-env";
import { LIVE_CLASSIFIER_MIME, newPanelPageState, panelHtml } from "./panel-html";

export interface LiveClassifierOptions {
  /** The derived data, when the notebook has it loaded already (the gate's words come from its training split). */
  datasets?: Datasets;
}

/**
 * The panel model of a run: exported into a temporary folder (the same code as `jtlab export`), read back with every
 * file checked, and cut to what the served protocols need. The neighbour rows are exported only when a category type
 * is served by the neighbours protocol.
 */
export async function buildPanelModel(run: string, opts: LiveClassifierOptions = {}): Promise<PanelModel> {
  const d = opts.datasets ?? loadDatasets();
  const neighbours = CATEGORY_TYPES.some((t) => choose(t, { run }).protocol === "neighbours");
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "jtlab-live-"));
  try {
    const out = path.join(tmp, "export");
    await exportRun({ run, out, ...(neighbours ? {} : { neighbours: 0 }) }, d);
    return panelModel(readExport(out));
  } finally {
    fs.rmSync(tmp, { recursive: true, force: true });
  }
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
    t.display.raw(LIVE_CLASSIFIER_MIME, JSON.stringify(model));
    return;
  }
  t.display.html(panelHtml(model, "inline", newPanelPageState(), `jtlab-live-${Math.random().toString(36).slice(2)}`));
}
