// Figure builders for the notebooks: small functions from data to plotly figures, composed in cells.
import { Figure } from "./plotly";

export const PALETTE = [
  "#4269d0", "#efb118", "#ff725c", "#6cc5b0", "#3ca951", "#ff8ab7", "#a463f2", "#97bbf5", "#9c6b4e", "#9498a0",
  "#1f77b4", "#d62728", "#2ca02c", "#8c564b", "#e377c2", "#7f7f7f", "#bcbd22", "#17becf", "#393b79", "#637939",
];

/** Horizontal grouped bars: one trace per series (e.g. per split), categories sorted by the first series. */
export function groupedBars(series: Record<string, Record<string, number>>, opts: { title: string; normalize?: boolean; xTitle?: string }): Figure {
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
      marker: { color: PALETTE[i % PALETTE.length] },
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
      xaxis: { title: { text: opts.xTitle ?? (opts.normalize ? "share of split" : "titles") }, tickformat: opts.normalize ? ".0%" : "," },
      legend: { orientation: "h", y: -0.12 },
    },
  };
}

/** Lines, one per series, over shared x values. */
export function lines(series: Record<string, { x: number[]; y: number[] }>, opts: { title: string; xTitle: string; yTitle: string }): Figure {
  return {
    data: Object.entries(series).map(([name, s], i) => ({ type: "scatter", mode: "lines+markers", name, x: s.x, y: s.y, line: { color: PALETTE[i % PALETTE.length] } })),
    layout: { title: { text: opts.title }, xaxis: { title: { text: opts.xTitle } }, yaxis: { title: { text: opts.yTitle } }, height: 420 },
  };
}

/** Light to dark blue: in every heat-map a darker cell is a higher value. */
export const DARK_IS_MORE: [number, string][] = [
  [0, "#f7fbff"],
  [0.5, "#6baed6"],
  [1, "#08306b"],
];

/** A heatmap of a confusion matrix (rows gold, columns predicted), normalized per row; darker is a larger share. */
export function confusionHeatmap(labels: string[], matrix: number[][], title: string): Figure {
  const z = matrix.map((row) => {
    const s = row.reduce((a, b) => a + b, 0) || 1;
    return row.map((v) => v / s);
  });
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
        colorbar: { title: { text: "share of the gold row" }, tickformat: ".0%" },
        hovertemplate: "gold %{y}<br>predicted %{x}<br>%{customdata} titles (%{z:.0%} of the row)<extra></extra>",
      },
    ],
    layout: {
      title: { text: title },
      height: 320 + 22 * labels.length + 5 * longest,
      margin: { l: 60 + 7 * longest, b: 60 + 6 * longest, t: 50, r: 20 },
      xaxis: { title: { text: "predicted class" }, tickangle: 45, automargin: true },
      yaxis: { title: { text: "gold class" }, autorange: "reversed", automargin: true },
    },
  };
}

/** A labelled heatmap (rows y, columns x), values shown on hover. */
export function heatmap(z: number[][], x: string[], y: string[], opts: { title: string; colorscale?: string; hover?: string }): Figure {
  return {
    data: [{ type: "heatmap", z, x, y, colorscale: opts.colorscale ?? "Viridis", hovertemplate: opts.hover ?? "%{y}<br>%{x}: %{z:.2f}<extra></extra>" }],
    layout: { title: { text: opts.title }, height: Math.max(360, 24 * y.length + 160), margin: { l: 220, b: 180, t: 50, r: 20 }, xaxis: { tickangle: 45 }, yaxis: { autorange: "reversed" } },
  };
}

/** Stacked horizontal bars: each row's mix over named parts (e.g. a person's topic mixture). */
export function stackedMix(rows: { name: string; mix: number[] }[], parts: string[], title: string): Figure {
  return {
    data: parts.map((p, k) => ({
      type: "bar",
      orientation: "h",
      name: p,
      y: rows.map((r) => r.name),
      x: rows.map((r) => r.mix[k]),
      marker: { color: PALETTE[k % PALETTE.length] },
      hovertemplate: `%{y}<br>${p.replace(/[<&]/g, "")}: %{x:.0%}<extra></extra>`,
    })),
    layout: { title: { text: title }, barmode: "stack", height: Math.max(360, 26 * rows.length + 140), margin: { l: 320, r: 20, t: 50, b: 40 }, xaxis: { tickformat: ".0%", range: [0, 1] }, showlegend: true },
  };
}
