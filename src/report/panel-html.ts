// The live classifier panel as HTML: in a report (html.ts) and in a live Jupyter output (live-classifier.ts). The
// page needs three scripts before the panel mounts, all plain `<script>`s so that the page works from file:// with
// networking off (no fetch): tfjs's browser build (window.tf), the panel's bundle (window.jtlabPanel,
// src/export/browser/panel.js) and the run's model, a script that assigns the panel model (export/panel-model.ts)
// to window.__jtlabModels[run]. A linked report loads all three from its folder's shared assets/ (the tower's
// weights are megabytes: one file per run, shared by every report of the folder, inlined by `jtlab report bundle`);
// a self-contained report and a notebook output carry them inline.
import * as fs from "fs";
import { projectPath } from "../data/paths";
import { PanelModel } from "../export/panel-model";
import { Notebook } from "../notebook/nbformat";
import { scriptSafeJson } from "../viz/plotly";
import { AssetWrite, ensureAsset, inlineScriptText } from "./assets";

/** What `liveClassifier` sends under `jtlab run`: the panel model as JSON, which the report renders as the panel. */
export const LIVE_CLASSIFIER_MIME = "application/vnd.jtlab.live-classifier+json";
export const TFJS_ASSET = "assets/tf.min.js";
export const PANEL_ASSET = "assets/jtlab-panel.js";

/** The run's model file among the shared assets (run ids are folder names; anything odd becomes "_"). */
export function modelAsset(run: string): string {
  return `assets/model-${run.replace(/[^A-Za-z0-9._-]/g, "_")}.js`;
}

export function tfjsBundlePath(): string {
  return require.resolve("@tensorflow/tfjs/dist/tf.min.js");
}

export function panelBundlePath(): string {
  return projectPath("src", "export", "browser", "panel.js");
}

/**
 * tfjs's browser build, made to define window.tf in every page: its UMD header registers an AMD module instead when
 * the page has an AMD loader (classic Jupyter's require.js), so the loader's names are hidden from it here.
 */
export function tfjsScript(): string {
  const src = fs.readFileSync(tfjsBundlePath(), "utf8").replace(/\n\/\/# sourceMappingURL=\S+\s*$/, "\n");
  return `(function (define, exports, module) {\n${src}}).call(window);\n`;
}

/** The script text that puts a panel model where the panel finds it. */
export function modelScript(model: PanelModel): string {
  return `(window.__jtlabModels=window.__jtlabModels||{})[${scriptSafeJson(model.run)}]=${scriptSafeJson(model)};\n`;
}

/** A notebook output's panel model, whether the runner stored it as JSON text or as an object. */
export function panelModelOf(v: unknown): PanelModel {
  const m = (typeof v === "string" ? JSON.parse(v) : v) as PanelModel;
  if (!m || typeof m.run !== "string") throw new Error(`a ${LIVE_CLASSIFIER_MIME} output without a run`);
  return m;
}

/** Which scripts a page already has, so that several panels share one tfjs, one bundle and one model per run. */
export interface PanelPageState {
  panels: number;
  libraries: boolean;
  models: Set<string>;
}

export const newPanelPageState = (): PanelPageState => ({ panels: 0, libraries: false, models: new Set() });

const MISSING =
  "The live classifier needs tfjs and its panel script (assets/tf.min.js, assets/jtlab-panel.js): keep the report's assets/ folder beside it, or make a self-contained copy with `jtlab report bundle`.";

/** One panel: the scripts the page still lacks, its element and the call that mounts it. */
export function panelHtml(model: PanelModel, mode: "inline" | "link", state: PanelPageState, idPrefix = "jtlab-live"): string {
  const id = `${idPrefix}-${state.panels++}`;
  let scripts = "";
  if (!state.libraries) {
    state.libraries = true;
    scripts +=
      mode === "inline"
        ? `<script>${inlineScriptText(tfjsScript())}</script><script>${inlineScriptText(fs.readFileSync(panelBundlePath(), "utf8"))}</script>`
        : `<script src="${TFJS_ASSET}"></script><script src="${PANEL_ASSET}"></script>`;
  }
  if (!state.models.has(model.run)) {
    state.models.add(model.run);
    scripts += mode === "inline" ? `<script>${modelScript(model)}</script>` : `<script src="${modelAsset(model.run)}"></script>`;
  }
  const mount =
    `(function(){var e=document.getElementById(${JSON.stringify(id)});` +
    `if(!window.tf||!window.jtlabPanel){e.textContent=${scriptSafeJson(MISSING)};e.setAttribute("data-state","error");return;}` +
    `window.jtlabPanel.mount(e,(window.__jtlabModels||{})[${scriptSafeJson(model.run)}]);})();`;
  return `${scripts}<div class="jtlab-live" id="${id}" data-run="${model.run.replace(/[^A-Za-z0-9._-]/g, "_")}"></div><script>${mount}</script>`;
}

/** Every panel model a notebook's outputs carry, by run. */
export function panelModels(nb: Notebook): Map<string, PanelModel> {
  const out = new Map<string, PanelModel>();
  for (const c of nb.cells) {
    for (const o of c.outputs ?? []) {
      if (o.output_type !== "display_data" && o.output_type !== "execute_result") continue;
      const v = (o.data as Record<string, unknown>)[LIVE_CLASSIFIER_MIME];
      if (v === undefined) continue;
      const m = panelModelOf(v);
      out.set(m.run, m);
    }
  }
  return out;
}

/** Writes the shared assets a linked report's panels load (nothing when the notebook has no panel). */
export function ensurePanelAssets(outDir: string, nb: Notebook): AssetWrite[] {
  const models = panelModels(nb);
  if (models.size === 0) return [];
  const out = [ensureAsset(outDir, TFJS_ASSET, tfjsScript()), ensureAsset(outDir, PANEL_ASSET, fs.readFileSync(panelBundlePath()))];
  for (const m of models.values()) out.push(ensureAsset(outDir, modelAsset(m.run), modelScript(m)));
  return out;
}
