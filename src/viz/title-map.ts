// The map of the title space as a plotly figure: one trace per class, so the legend shows and hides classes, and
// each point's title on hover. Kept compact, since a report carries it whole: coordinates as integers on a grid
// of MAP_GRID steps (UMAP's axes have no units), and nothing per point but its two coordinates and its title.
import { Rng } from "../util/random";
import { seriesColour } from "./figure-rules";
import { Figure } from "./plotly";

/** Grid steps across the map's wider side: finer than the pixels of any screen the map is drawn on. */
export const MAP_GRID = 1000;

/** Lighter than the reference grey: the unlabelled stay behind the classes. */
const UNLABELLED_GREY = "#b0b0b0";

export interface TitleMapOptions {
  title: string;
  /** Draw at most this many points (a seeded random sample). Default: all with WebGL, 20,000 with SVG. */
  maxPoints?: number;
  seed?: number;
  /**
   * "scattergl" (WebGL, default: pans and zooms 65,000 points smoothly; headless Chromium draws it in software) or
   * "scatter" (SVG: needs no WebGL, but redraws take seconds beyond some 20,000 points).
   */
  traceType?: "scatter" | "scattergl";
  /** Name for points without a label. */
  unlabelled?: string;
}

/**
 * Plotly reads hover and legend text as a small HTML subset (<b>, <br>, <a href> ...) and decodes entities, so
 * a title such as "<b>x</b>" would be drawn bold and a "<br>" would break the line. Escaping `&` and `<` makes it
 * show as typed.
 */
export function plotlyText(s: string): string {
  return s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
}

export function titleMapFigure(coords: Float32Array, titles: readonly string[], labels: readonly (string | null)[], opts: TitleMapOptions): Figure {
  const n = titles.length;
  if (coords.length !== n * 2 || labels.length !== n) throw new Error(`titleMapFigure: ${coords.length / 2} points, ${n} titles, ${labels.length} labels`);
  const unlabelled = opts.unlabelled ?? "(no label)";
  const traceType = opts.traceType ?? "scattergl";
  const maxPoints = opts.maxPoints ?? (traceType === "scatter" ? 20000 : Infinity);
  let shown = Array.from({ length: n }, (_, i) => i);
  if (n > maxPoints) shown = new Rng(opts.seed ?? 1).sample(shown, maxPoints).sort((a, b) => a - b);

  const byClass = new Map<string, number[]>();
  for (const i of shown) {
    const c = labels[i] ?? unlabelled;
    let list = byClass.get(c);
    if (!list) byClass.set(c, (list = []));
    list.push(i);
  }
  // Biggest classes first in the legend; the unlabelled last. Colours follow the sorted names, so a class keeps
  // its colour from one map to the next.
  const names = [...byClass.keys()].sort((a, b) => (a === unlabelled ? 1 : b === unlabelled ? -1 : byClass.get(b)!.length - byClass.get(a)!.length || (a < b ? -1 : 1)));
  const colourOrder = names.filter((c) => c !== unlabelled).sort();
  // Small, unoutlined, translucent markers: overlaps stay readable, and SVG draws tens of thousands faster.
  const size = shown.length > 20000 ? 3 : shown.length > 5000 ? 4 : 6;
  const grid = mapGrid(coords, shown);
  const data = names.map((name) => {
    const idx = byClass.get(name)!;
    return {
      type: traceType,
      mode: "markers",
      name: plotlyText(name),
      x: idx.map((i) => grid(coords[i * 2], 0)),
      y: idx.map((i) => grid(coords[i * 2 + 1], 1)),
      hovertext: idx.map((i) => plotlyText(titles[i])),
      hovertemplate: "%{hovertext}<extra>%{fullData.name}</extra>",
      marker: {
        size,
        opacity: 0.7,
        color: name === unlabelled ? UNLABELLED_GREY : seriesColour(colourOrder.indexOf(name)),
        line: { width: 0 },
      },
    };
  });
  const subtitle = shown.length < n ? ` (${shown.length.toLocaleString("en-US")} of ${n.toLocaleString("en-US")} titles)` : "";
  return {
    data,
    layout: {
      title: { text: plotlyText(opts.title) + subtitle },
      height: 700,
      hovermode: "closest",
      // UMAP's axes have no units: no ticks, one scale for both.
      xaxis: { title: { text: "UMAP 1 (no units: only distances matter)" }, showticklabels: false, zeroline: false, showgrid: false },
      yaxis: { title: { text: "UMAP 2" }, showticklabels: false, zeroline: false, showgrid: false, scaleanchor: "x" },
      legend: { itemsizing: "constant", title: { text: "class (click to hide)" } },
    },
  };
}

/**
 * The shown points' coordinates as integers from 0 to MAP_GRID along the wider side, one scale for both axes so
 * that the map keeps its shape (a step is 1/MAP_GRID of the map: some 3 significant digits).
 */
function mapGrid(coords: Float32Array, shown: readonly number[]): (v: number, axis: 0 | 1) => number {
  const lo = [Infinity, Infinity];
  const hi = [-Infinity, -Infinity];
  for (const i of shown) {
    for (const a of [0, 1]) {
      lo[a] = Math.min(lo[a], coords[i * 2 + a]);
      hi[a] = Math.max(hi[a], coords[i * 2 + a]);
    }
  }
  const span = Math.max(hi[0] - lo[0], hi[1] - lo[1]);
  const scale = span > 0 && Number.isFinite(span) ? MAP_GRID / span : 0;
  return (v, axis) => Math.round((v - lo[axis]) * scale);
}
