// The live classifier panel as HTML: in a report (html.ts) and in a live Jupyter output (live-classifier.ts). The
// page needs three scripts before the panel mounts, all plain `<script>`s so that the page works from file:// with
// networking off (no fetch): tfjs's browser build (window.tf), the panel's bundle (window.jtlabPanel,
// src/export/browser/panel.js) and the run's model, a script that assigns the panel model (export/panel-model.ts)
// to window.__jtlabModels[run]. A linked report loads all three from its folder's shared assets/ (the tower's
// weights are megabytes: one file per run, shared by every report of the folder, inlined by `jtlab report bundle`);
// a self-contained report and a notebook output carry them inline.
import * as crypto from "crypto";
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

/**
 * What a notebook output under `jtlab run` holds: a reference to the panel model's script, written once beside the run
 * registry (live-classifier.ts), so that neither the executed notebook nor each per-cell report save carries or
 * rebuilds megabytes of weights; the report copies it into assets/ (or inlines it).
 */
export const PANEL_REF_FORMAT = "jtlab-panel-ref";

export interface PanelModelRef {
  format: typeof PANEL_REF_FORMAT;
  run: string;
  /** The model script (modelScript's text), absolute path. */
  file: string;
  sha256: string;
  bytes: number;
}

/** A panel's run and its model script, from an output that holds the model itself or a reference to its file. */
export interface PanelSource {
  run: string;
  script: () => string;
}

export function panelRef(run: string, file: string, text: string): PanelModelRef {
  return { format: PANEL_REF_FORMAT, run, file, sha256: crypto.createHash("sha256").update(text).digest("hex"), bytes: Buffer.byteLength(text) };
}

function refScript(ref: PanelModelRef): string {
  const missing = `the live classifier's model of run ${ref.run} is not at ${ref.file}: run the notebook again to write it`;
  if (!fs.existsSync(ref.file)) throw new Error(missing);
  const text = fs.readFileSync(ref.file, "utf8");
  if (crypto.createHash("sha256").update(text).digest("hex") !== ref.sha256) {
    throw new Error(`the live classifier's model of run ${ref.run} at ${ref.file} changed after this notebook ran (SHA-256 differs): run the notebook again`);
  }
  return text;
}

/** A notebook output's panel: the runner stores it as JSON text or an object, holding the model or a reference. */
export function panelSourceOf(v: unknown): PanelSource {
  const m = (typeof v === "string" ? JSON.parse(v) : v) as PanelModel | PanelModelRef;
  if (!m || typeof m.run !== "string") throw new Error(`a ${LIVE_CLASSIFIER_MIME} output without a run`);
  if (m.format === PANEL_REF_FORMAT) {
    const ref = m as PanelModelRef;
    if (typeof ref.file !== "string" || typeof ref.sha256 !== "string") throw new Error(`a ${LIVE_CLASSIFIER_MIME} reference without its file or SHA-256`);
    let text: string | null = null;
    return { run: ref.run, script: () => (text ??= refScript(ref)) };
  }
  const model = m as PanelModel;
  return { run: model.run, script: () => modelScript(model) };
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
export function panelHtml(source: PanelSource, mode: "inline" | "link", state: PanelPageState, idPrefix = "jtlab-live"): string {
  const run = source.run;
  const id = `${idPrefix}-${state.panels++}`;
  let scripts = "";
  if (!state.libraries) {
    state.libraries = true;
    scripts +=
      mode === "inline"
        ? `<script>${inlineScriptText(tfjsScript())}</script><script>${inlineScriptText(fs.readFileSync(panelBundlePath(), "utf8"))}</script>`
        : `<script src="${TFJS_ASSET}"></script><script src="${PANEL_ASSET}"></script>`;
  }
  if (!state.models.has(run)) {
    state.models.add(run);
    scripts += mode === "inline" ? `<script>${inlineScriptText(source.script())}</script>` : `<script src="${modelAsset(run)}"></script>`;
  }
  const mount =
    `(function(){var e=document.getElementById(${JSON.stringify(id)});` +
    `if(!window.tf||!window.jtlabPanel){e.textContent=${scriptSafeJson(MISSING)};e.setAttribute("data-state","error");return;}` +
    `window.jtlabPanel.mount(e,(window.__jtlabModels||{})[${scriptSafeJson(run)}]);})();`;
  return `${scripts}<div class="jtlab-live" id="${id}" data-run="${run.replace(/[^A-Za-z0-9._-]/g, "_")}"></div><script>${mount}</script>`;
}

/** Every panel a notebook's outputs show, by run. */
export function panelSources(nb: Notebook): Map<string, PanelSource> {
  const out = new Map<string, PanelSource>();
  for (const c of nb.cells) {
    for (const o of c.outputs ?? []) {
      if (o.output_type !== "display_data" && o.output_type !== "execute_result") continue;
      const v = (o.data as Record<string, unknown>)[LIVE_CLASSIFIER_MIME];
      if (v === undefined) continue;
      const m = panelSourceOf(v);
      out.set(m.run, m);
    }
  }
  return out;
}

/** Writes the shared assets a linked report's panels load (nothing when the notebook has no panel). */
export function ensurePanelAssets(outDir: string, nb: Notebook): AssetWrite[] {
  const models = panelSources(nb);
  if (models.size === 0) return [];
  const out = [ensureAsset(outDir, TFJS_ASSET, tfjsScript()), ensureAsset(outDir, PANEL_ASSET, fs.readFileSync(panelBundlePath()))];
  for (const m of models.values()) out.push(ensureAsset(outDir, modelAsset(m.run), m.script()));
  return out;
}
