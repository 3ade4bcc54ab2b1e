// Figure builders for the notebooks: small functions from data to plotly figures, composed in cells. Every figure
// follows the rules of ./figure-rules (a title, axis titles with units, a legend for two traces or more, one
// quantity per axis, dark = more in heat maps with the values written in their cells, the palette).
import { CELL_TEXT_LIMIT, DARK_IS_MORE, NEUTRAL, PALETTE, seriesColour } from "./figure-rules";
import { Figure } from "./plotly";

export { DARK_IS_MORE, NEUTRAL, PALETTE };

/**
 * Space between tick labels and the axis title. Plotly places a title by its labels' box only when a standoff is
 * given; without one a long (or slanted) tick label runs through the title.
 */
export const TITLE_STANDOFF = 12;

/** Plotly reads `<`, `>` and `&` in labels as markup; these show as typed. */
const plain = (s: string): string => s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");

/** Horizontal grouped bars: one trace per series (e.g. per split), categories sorted by the first series. */
export function groupedBars(
  series: Record<string, Record<string, number>>,
  opts: { title: string; normalize?: boolean; xTitle?: string; yTitle?: string },
): Figure {
  const names = Object.keys(series);
  const first = series[names[0]] ?? {};
  const cats = [...new Set(names.flatMap((n) => Object.keys(series[n])))].sort((a, b) => (first[a] ?? 0) - (first[b] ?? 0));
  const data = names.map((n, i) => {
    const total = Object.values(series[n]).reduce((a, b) => a + b, 0) || 1;
    return {
      type: "bar",
      orientation: "h",
      name: n,
      y: cats,
      x: cats.map((c) => (opts.normalize ? (series[n][c] ?? 0) / total : series[n][c] ?? 0)),
      marker: { color: seriesColour(i) },
      hovertemplate: opts.normalize ? "%{y}: %{x:.1%}<extra>%{fullData.name}</extra>" : "%{y}: %{x:,}<extra>%{fullData.name}</extra>",
    };
  });
  return {
    data,
    layout: {
      title: { text: opts.title },
      barmode: "group",
      height: Math.max(320, 28 * cats.length + 120),
      margin: { l: 260, r: 20, t: 50, b: 50 },
      xaxis: { title: { text: opts.xTitle ?? (opts.normalize ? "share of the series (%)" : "titles (count)") }, tickformat: opts.normalize ? ".0%" : "," },
      yaxis: { title: { text: opts.yTitle ?? "class", standoff: TITLE_STANDOFF }, automargin: true },
      legend: { orientation: "h", y: -0.12 },
    },
  };
}

/** Lines, one per series, over shared x values: one quantity, on one y axis. */
export function lines(series: Record<string, { x: number[]; y: number[] }>, opts: { title: string; xTitle: string; yTitle: string }): Figure {
  return {
    data: Object.entries(series).map(([name, s], i) => ({ type: "scatter", mode: "lines+markers", name, x: s.x, y: s.y, line: { color: seriesColour(i) }, marker: { color: seriesColour(i) } })),
    layout: { title: { text: opts.title }, xaxis: { title: { text: opts.xTitle } }, yaxis: { title: { text: opts.yTitle } }, height: 420 },
  };
}

// ---------------------------------------------------------------------------------------------------------------
// Training curves

export interface EpochPoint {
  epoch: number;
  loss: number;
  valLoss: number;
  valAccuracy: number;
  valMrr?: number;
}

interface Panel {
  name: string;
  heading: string;
  yTitle: string;
  y: (e: EpochPoint) => number | null;
  tickformat?: string;
  hover: string;
}

export const STILL_IMPROVING = "best epoch is the last: training was still improving";

function trainingPanels(history: readonly EpochPoint[], lossName: string): Panel[] {
  const panels: Panel[] = [
    { name: `training loss (${lossName})`, heading: `Training loss: ${lossName}`, yTitle: "nats per pair", y: (e) => e.loss, hover: "%{y:.4f} nats" },
    { name: "validation loss (binary cross-entropy)", heading: "Validation pairs: binary cross-entropy", yTitle: "nats per pair", y: (e) => e.valLoss, hover: "%{y:.4f} nats" },
    // Tenths of a percent: validation accuracy moves by less than a point between epochs, and whole-percent ticks repeat.
    { name: "validation pair accuracy", heading: "Validation pairs: accuracy", yTitle: "accuracy (%)", y: (e) => e.valAccuracy, tickformat: ".1%", hover: "%{y:.1%}" },
  ];
  if (history.some((e) => e.valMrr !== undefined)) {
    panels.push({
      name: "validation MRR",
      heading: "Validation pairs: mean reciprocal rank of each partner among all partners",
      yTitle: "MRR (0–1)",
      y: (e) => e.valMrr ?? null,
      hover: "%{y:.4f}",
    });
  }
  return panels;
}

/** Stacked panel domains, top first, with a gap for each panel's heading. */
function panelDomains(n: number): [number, number][] {
  const gap = 0.07;
  const h = (1 - gap * (n - 1)) / n;
  return Array.from({ length: n }, (_, k) => {
    const top = 1 - k * (h + gap);
    return [Math.max(0, top - h), top];
  });
}

/** Whether a panel's curve is in the upper half of its range at an epoch. */
function curveIsHighAt(history: readonly EpochPoint[], y: (e: EpochPoint) => number | null, epoch: number): boolean {
  const values = history.map(y).filter((v): v is number => v !== null && Number.isFinite(v));
  const at = history.find((e) => e.epoch === epoch);
  const v = at ? y(at) : null;
  if (v === null || !values.length) return false;
  const lo = Math.min(...values);
  const hi = Math.max(...values);
  return hi > lo && v - lo > (hi - lo) / 2;
}

/**
 * Training curves by epoch: training loss, validation pair loss, validation pair accuracy and (when recorded)
 * validation MRR, each in its own panel over one shared epoch axis, with the best epoch marked in every panel.
 */
export function trainingCurves(
  history: { epoch: number; loss: number; valLoss: number; valAccuracy: number; valMrr?: number }[],
  opts: { bestEpoch: number; lossName: string; title?: string },
): Figure {
  if (!history.length) throw new Error("trainingCurves: the history has no epochs");
  const panels = trainingPanels(history, opts.lossName);
  const domains = panelDomains(panels.length);
  const epochs = history.map((e) => e.epoch);
  const last = epochs[epochs.length - 1];
  const hasBest = epochs.includes(opts.bestEpoch);
  const height = 190 * panels.length + 200;
  const margin = { t: 90, r: 20, b: 120, l: 80 };
  const layout: Record<string, unknown> = {
    title: { text: opts.title ?? `Training curves by epoch (best epoch ${hasBest ? opts.bestEpoch : "not recorded"})` },
    height,
    margin,
    hovermode: "x",
    // Under the epoch axis's title: 70 px below the plot area, in the plot's own coordinates.
    legend: { orientation: "h", yanchor: "top", y: -70 / (height - margin.t - margin.b) },
    // One epoch axis, drawn under the bottom panel, shared by all.
    xaxis: { title: { text: "epoch" }, anchor: `y${panels.length === 1 ? "" : panels.length}`, ...(epochs.length <= 20 ? { dtick: 1 } : {}) },
  };
  // The best epoch's label on the side of its line with more room, and at the panel's edge away from the curve.
  const bestOnRight = hasBest && opts.bestEpoch - epochs[0] > (last - epochs[0]) / 2;
  const shapes: Record<string, unknown>[] = [];
  const annotations: Record<string, unknown>[] = [];
  const data = panels.map((p, k) => {
    const axis = k === 0 ? "y" : `y${k + 1}`;
    layout[axis.replace("y", "yaxis")] = { title: { text: p.yTitle }, domain: domains[k], zeroline: false, ...(p.tickformat ? { tickformat: p.tickformat } : {}) };
    annotations.push({ text: `<b>${plain(p.heading)}</b>`, xref: "paper", x: 0, xanchor: "left", yref: `${axis} domain`, y: 1, yanchor: "bottom", showarrow: false });
    if (hasBest) {
      const atTop = !curveIsHighAt(history, p.y, opts.bestEpoch);
      shapes.push({ type: "line", xref: "x", x0: opts.bestEpoch, x1: opts.bestEpoch, yref: `${axis} domain`, y0: 0, y1: 1, line: { color: NEUTRAL, dash: "dash", width: 1.5 } });
      annotations.push({
        text: `best epoch ${opts.bestEpoch}`,
        xref: "x",
        x: opts.bestEpoch,
        xanchor: bestOnRight ? "right" : "left",
        xshift: bestOnRight ? -4 : 4,
        yref: `${axis} domain`,
        y: atTop ? 1 : 0,
        yanchor: atTop ? "top" : "bottom",
        showarrow: false,
        font: { size: 11, color: "#444444" },
      });
    }
    return {
      type: "scatter",
      mode: "lines+markers",
      name: p.name,
      x: epochs,
      y: history.map(p.y),
      xaxis: "x",
      yaxis: axis,
      line: { color: seriesColour(k) },
      marker: { color: seriesColour(k) },
      hovertemplate: `epoch %{x}: ${p.hover}<extra>${plain(p.name)}</extra>`,
    };
  });
  const note = !hasBest ? `no best epoch recorded (best epoch ${opts.bestEpoch} is not in the history)` : opts.bestEpoch === last && epochs.length > 1 ? STILL_IMPROVING : "";
  if (note) annotations.push({ text: note, xref: "paper", x: 1, xanchor: "right", yref: "paper", y: 1, yanchor: "bottom", yshift: 26, showarrow: false, font: { size: 13, color: PALETTE[3] } });
  layout.shapes = shapes;
  layout.annotations = annotations;
  return { data, layout };
}

// ---------------------------------------------------------------------------------------------------------------
// Heat maps

/** A cell's value as written in it: blank for 0 and for no value, so that the filled cells stand out. */
function cellText(v: number | null | undefined, percent: boolean): string {
  if (v === null || v === undefined || !Number.isFinite(v) || v === 0) return "";
  if (percent) return Math.abs(v) < 0.005 ? "<1%" : `${Math.round(v * 100)}%`;
  return String(Number(v.toPrecision(3)));
}

const cellCount = (z: readonly (readonly unknown[])[]): number => z.reduce((a, row) => a + row.length, 0);

/** A heat map of a confusion matrix (rows gold, columns predicted), normalized per row; darker is a larger share. */
export function confusionHeatmap(labels: string[], matrix: number[][], title: string): Figure {
  const z = matrix.map((row) => {
    const s = row.reduce((a, b) => a + b, 0) || 1;
    return row.map((v) => v / s);
  });
  const written = cellCount(matrix) <= CELL_TEXT_LIMIT;
  // Room for the longest class name on both axes (about 7 px a character at the tick font).
  const longest = Math.max(...labels.map((l) => l.length), 4);
  return {
    data: [
      {
        type: "heatmap",
        x: labels,
        y: labels,
        z,
        zmin: 0,
        zmax: 1,
        customdata: matrix,
        colorscale: DARK_IS_MORE,
        colorbar: { title: { text: "share of the gold row (%)", side: "right" }, tickformat: ".0%" },
        // Counts, not shares, in the cells: the colour already says the share; blank where nothing fell.
        ...(written ? { text: matrix.map((row) => row.map((v) => (v ? String(v) : ""))), texttemplate: "%{text}", textfont: { size: labels.length > 12 ? 10 : 12 } } : {}),
        hovertemplate: "gold %{y}<br>predicted %{x}<br>%{customdata:,} titles (%{z:.0%} of the row)<extra></extra>",
        xgap: 1,
        ygap: 1,
      },
    ],
    layout: {
      title: { text: `${title}${written ? "<br><sup>cells: titles; colour: share of the gold row</sup>" : ""}` },
      height: 320 + 24 * labels.length + 5 * longest,
      margin: { l: 60 + 7 * longest, b: 60 + 6 * longest, t: 70, r: 20 },
      xaxis: { title: { text: "predicted class", standoff: TITLE_STANDOFF }, tickangle: 45, automargin: true },
      yaxis: { title: { text: "gold class", standoff: TITLE_STANDOFF }, autorange: "reversed", automargin: true },
    },
  };
}

/**
 * A labelled heat map (rows y, columns x) on the dark = more scale, each value written in its cell when the grid
 * is small enough (blank for 0). `zPercent`: the values are shares (0–1), written and scaled as percentages.
 */
export function heatmap(
  z: number[][],
  x: string[],
  y: string[],
  opts: { title: string; xTitle: string; yTitle: string; zTitle: string; hover?: string; zPercent?: boolean },
): Figure {
  const percent = opts.zPercent === true;
  const written = cellCount(z) <= CELL_TEXT_LIMIT;
  const fmt = percent ? ".1%" : ".3~g";
  // Room for the longest label on each axis (about 7 px a character; the x labels slant at 45°).
  const longestX = Math.max(...x.map((l) => l.length), 4);
  const longestY = Math.max(...y.map((l) => l.length), 4);
  return {
    data: [
      {
        type: "heatmap",
        z,
        x,
        y,
        colorscale: DARK_IS_MORE,
        ...(percent ? { zmin: 0 } : {}),
        colorbar: { title: { text: opts.zTitle, side: "right" }, ...(percent ? { tickformat: ".0%" } : {}) },
        ...(written ? { text: z.map((row) => row.map((v) => cellText(v, percent))), texttemplate: "%{text}", textfont: { size: 10 } } : {}),
        hovertemplate: opts.hover ?? `%{y}<br>%{x}: %{z:${fmt}}<extra></extra>`,
        xgap: 1,
        ygap: 1,
      },
    ],
    layout: {
      title: { text: opts.title },
      height: 140 + 30 * y.length + 7 * longestX,
      margin: { l: 60 + 7 * longestY, b: 60 + 6 * longestX, t: 50, r: 20 },
      xaxis: { title: { text: opts.xTitle, standoff: TITLE_STANDOFF }, tickangle: 45, automargin: true },
      yaxis: { title: { text: opts.yTitle, standoff: TITLE_STANDOFF }, autorange: "reversed", automargin: true },
    },
  };
}

/** Stacked horizontal bars: each row's mix over named parts (e.g. a person's topic mixture), as shares. */
export function stackedMix(rows: { name: string; mix: number[] }[], parts: string[], title: string, opts: { xTitle?: string; yTitle?: string } = {}): Figure {
  return {
    data: parts.map((p, k) => ({
      type: "bar",
      orientation: "h",
      name: p,
      y: rows.map((r) => r.name),
      x: rows.map((r) => r.mix[k]),
      marker: { color: seriesColour(k) },
      hovertemplate: `%{y}<br>${plain(p)}: %{x:.0%}<extra></extra>`,
    })),
    layout: {
      title: { text: title },
      barmode: "stack",
      height: Math.max(360, 26 * rows.length + 140),
      margin: { l: 320, r: 20, t: 50, b: 40 },
      xaxis: { title: { text: opts.xTitle ?? "share of the person's mix (%)" }, tickformat: ".0%", range: [0, 1] },
      yaxis: { title: { text: opts.yTitle ?? "person", standoff: TITLE_STANDOFF }, automargin: true },
      showlegend: true,
      legend: { traceorder: "normal" },
    },
  };
}
