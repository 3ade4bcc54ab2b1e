/// <reference lib="dom" />
// The live classifier panel in a page: the entry of the browser bundle `panel.js` (scripts/build-panel.mjs), which
// tfjs's browser build (`window.tf`) must precede. It defines `window.jtlabPanel.mount(element, panelModel)`: a text
// box and example chips; role, level and industry with their scores, as `jtlab classify --run` gives them (the same
// ExportClassifier code); the evidence titles when the protocol gives them; and the similarity of the typed title to
// the talk's pinned titles. Titles are user input: every text goes in with textContent, never as markup.
// The last answer is also kept whole on the panel element (data-answer, JSON; data-state) for tests and scripts.
import * as tf from "@tensorflow/tfjs";
import type { CategoryType } from "../../core/types";
import { ExportAnswer, ExportClassifier } from "../classifier";
import { modelExportOf, PanelModel } from "../panel-model";

const TYPES: CategoryType[] = ["role", "level", "industry"];
const TYPE_NAMES: Record<CategoryType, string> = { role: "Functional Role", level: "Level", industry: "Industry" };
export const EXAMPLES = ["Head of People & Culture", "Senior Java Developer", "Founder & CEO", "Registered Nurse", "Sr. SWE @ Acme - Boston, MA"];
/** The talk's similarity table: "Sales" nearer "Account Manager" than "Marketing", nearer that than "Creative Director". */
export const PINNED = ["Sales", "Account Manager", "Marketing", "Creative Director"];

export interface PanelAnswer {
  title: string;
  answers: Record<CategoryType, ExportAnswer>;
  pinned: { title: string; similarity: number }[];
}

interface Loaded {
  classifier: ExportClassifier;
  pinnedRows: Float32Array;
}

const CSS = `
.jtlab-live{border:1px solid #c9d2e3;border-radius:6px;padding:.8em 1em;margin:.6em 0;max-width:100%;box-sizing:border-box;background:#fbfcfe}
.jtlab-live label{font-weight:600;display:block;margin-bottom:.3em}
.jtlab-live input{width:100%;box-sizing:border-box;font:inherit;padding:.35em .5em;border:1px solid #aab4c5;border-radius:4px}
.jtlab-live .chips{margin:.4em 0}.jtlab-live .chips button{font:inherit;font-size:13px;margin:0 .3em .3em 0;padding:.1em .6em;border:1px solid #c9d2e3;border-radius:1em;background:#f1f3f7;cursor:pointer}
.jtlab-live .status{color:#556;margin:.3em 0}.jtlab-live .status.error{color:#b00}
.jtlab-live table{border-collapse:collapse;margin:.4em 0}.jtlab-live td,.jtlab-live th{border:1px solid #d5d9e0;padding:.2em .6em;text-align:left}
.jtlab-live td.num{text-align:right;font-variant-numeric:tabular-nums}.jtlab-live .note{color:#667;font-size:13px}
.jtlab-live h4{margin:.6em 0 .2em}
`;

const loading = new Map<string, Promise<Loaded>>();

/** One classifier per run and page, however many panels show it. */
function load(model: PanelModel): Promise<Loaded> {
  let p = loading.get(model.run);
  if (!p) {
    p = (async () => {
      // The cpu backend: plain float32 JavaScript, the same arithmetic as Node's cpu backend (webgl rounds
      // differently on some GPUs, and there may be none).
      await tf.setBackend("cpu");
      const classifier = await ExportClassifier.create(modelExportOf(model));
      return { classifier, pinnedRows: await classifier.encode(PINNED) };
    })();
    loading.set(model.run, p);
  }
  return p;
}

function el<K extends keyof HTMLElementTagNameMap>(tag: K, text?: string, cls?: string): HTMLElementTagNameMap[K] {
  const e = document.createElement(tag);
  if (text !== undefined) e.textContent = text;
  if (cls) e.className = cls;
  return e;
}

function addStyle(): void {
  if (document.getElementById("jtlab-live-style")) return;
  const s = el("style", CSS);
  s.id = "jtlab-live-style";
  document.head.appendChild(s);
}

const fmt = (x: number): string => x.toFixed(3);

function answerTable(a: PanelAnswer): HTMLTableElement {
  const table = el("table");
  // The typed title, as text: "<script>" shows as the eight characters it is.
  table.createCaption().textContent = `Answers for "${a.title}"`;
  const head = table.createTHead().insertRow();
  for (const h of ["", "answer", "score", "protocol", "note"]) head.appendChild(el("th", h));
  const body = table.createTBody();
  for (const type of TYPES) {
    const x = a.answers[type];
    const row = body.insertRow();
    row.dataset.type = type;
    row.appendChild(el("th", TYPE_NAMES[type]));
    row.appendChild(el("td", x.label, "label"));
    row.appendChild(el("td", fmt(x.score), "num"));
    row.appendChild(el("td", x.protocol));
    const notes: string[] = [];
    if (x.abstained) notes.push(`no class: ${x.abstained}`);
    else if (x.best && x.best !== x.label) notes.push(`nearest class ${x.best}, below the threshold`);
    if (x.cleaned) notes.push(`read as "${x.cleaned}"`);
    row.appendChild(el("td", notes.join("; "), "note"));
  }
  return table;
}

function evidenceList(a: PanelAnswer): HTMLElement | null {
  const types = TYPES.filter((t) => (a.answers[t].evidence ?? []).length > 0);
  if (!types.length) return null;
  const box = el("div");
  for (const type of types) {
    box.appendChild(el("h4", `Nearest training titles (${TYPE_NAMES[type]})`));
    const ul = el("ul");
    for (const e of a.answers[type].evidence!) ul.appendChild(el("li", `${e.title} — ${e.label} (${fmt(e.similarity)})`));
    box.appendChild(ul);
  }
  return box;
}

function pinnedTable(a: PanelAnswer): HTMLTableElement {
  const table = el("table");
  table.className = "pinned";
  const head = table.createTHead().insertRow();
  head.appendChild(el("th", "similarity of the typed title to"));
  head.appendChild(el("th", "similarity"));
  const body = table.createTBody();
  for (const p of a.pinned) {
    const row = body.insertRow();
    row.appendChild(el("td", p.title));
    row.appendChild(el("td", fmt(p.similarity), "num"));
  }
  return table;
}

/** Builds the panel inside `root` and answers the first example at once. */
export function mount(root: HTMLElement, model: PanelModel | undefined): void {
  addStyle();
  root.classList.add("jtlab-live");
  root.textContent = "";
  const status = el("p", "", "status");
  status.setAttribute("role", "status");
  if (!model) {
    status.textContent = "The model of this panel is missing: keep the report's assets/ folder beside it, or make a self-contained copy with `jtlab report bundle`.";
    status.classList.add("error");
    root.appendChild(status);
    root.dataset.state = "error";
    return;
  }
  const inputId = `${root.id || "jtlab-live"}-input`;
  const label = el("label", `Try a job title (run ${model.run}, answered in this page)`);
  label.htmlFor = inputId;
  const input = el("input");
  input.id = inputId;
  input.type = "text";
  input.autocomplete = "off";
  input.value = EXAMPLES[0];
  const chips = el("div", undefined, "chips");
  const out = el("div", undefined, "answer");
  root.append(label, input, chips, status, out);
  // Where the page answers differently from `jtlab classify --run` (a protocol too large for a page), said once.
  for (const n of model.notes ?? []) root.appendChild(el("p", n, "note"));
  let seq = 0;
  const show = async (): Promise<void> => {
    const mine = ++seq;
    const title = input.value;
    root.dataset.state = "busy";
    try {
      const { classifier, pinnedRows } = await load(model);
      if (mine !== seq) return;
      if (title.trim() === "") {
        out.textContent = "";
        status.textContent = "Type a job title to classify it (the box is empty).";
        root.dataset.answer = JSON.stringify({ title });
        root.dataset.state = "empty";
        return;
      }
      const [answers] = await classifier.classify([title]);
      const row = await classifier.encode([title]);
      const sims = classifier.similarityMatrix(row, pinnedRows);
      if (mine !== seq) return;
      const a: PanelAnswer = { title, answers, pinned: PINNED.map((t, i) => ({ title: t, similarity: sims[i] })) };
      out.textContent = "";
      out.appendChild(answerTable(a));
      const ev = evidenceList(a);
      if (ev) out.appendChild(ev);
      out.appendChild(pinnedTable(a));
      status.textContent = "";
      root.dataset.answer = JSON.stringify(a);
      root.dataset.state = "ready";
      if (!root.dataset.readyMs) root.dataset.readyMs = String(Math.round(performance.now()));
    } catch (e) {
      if (mine !== seq) return;
      status.textContent = `The panel could not answer: ${(e as Error).message}`;
      status.classList.add("error");
      root.dataset.state = "error";
    }
  };
  for (const ex of EXAMPLES) {
    const b = el("button", ex);
    b.type = "button";
    b.addEventListener("click", () => {
      input.value = ex;
      void show();
    });
    chips.appendChild(b);
  }
  input.addEventListener("input", () => void show());
  status.textContent = "Loading the model…";
  void show();
}

(window as unknown as { jtlabPanel: { mount: typeof mount } }).jtlabPanel = { mount };
