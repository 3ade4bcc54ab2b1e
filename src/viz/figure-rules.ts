// The figure rules every chart follows (issue 15), as code: the palette and the heat-map scale every builder draws
// with, and `figureProblems`, which names each rule a figure breaks. showPlot prints its answer as warnings, and the
// tests hold every builder's figures to an empty answer.
import type { Figure } from "./plotly";

/**
 * Colour-blind-safe series colours: Okabe & Ito's eight (strongest on white first), then Paul Tol's "muted" nine
 * and three of his dark colours, for up to 20 series. Past eight, colours are told apart by hue and lightness
 * together, so a figure with many series should also label them (legend order, hover).
 */
export const PALETTE: readonly string[] = [
  "#0072b2", "#e69f00", "#009e73", "#d55e00", "#cc79a7", "#56b4e9", "#f0e442", "#000000",
  "#332288", "#88ccee", "#44aa99", "#117733", "#999933", "#ddcc77", "#cc6677", "#882255", "#aa4499",
  "#663333", "#225555", "#666633",
];

/** Grey for what is not a series: reference lines, the unlabelled, marks such as a best epoch. */
export const NEUTRAL = "#7f7f7f";

/** Light to dark blue (ColorBrewer's Blues): in every heat map a darker cell is a higher value. */
export const DARK_IS_MORE: [number, string][] = [
  [0, "#f7fbff"],
  [0.25, "#c6dbef"],
  [0.5, "#6baed6"],
  [0.75, "#2171b5"],
  [1, "#08306b"],
];

/** Heat maps with at most this many cells write each cell's value in it. */
export const CELL_TEXT_LIMIT = 400;

/** The colour of the i-th series. */
export function seriesColour(i: number): string {
  return PALETTE[i % PALETTE.length];
}

// ---------------------------------------------------------------------------------------------------------------
// Colours

type Rgb = [number, number, number];

const NAMED: Record<string, Rgb> = { black: [0, 0, 0], white: [255, 255, 255], gray: [128, 128, 128], grey: [128, 128, 128] };

/** A CSS colour as RGB (hex, rgb(), rgba() or a few names); null when it is not one of those. */
export function parseColour(c: string): Rgb | null {
  const s = c.trim().toLowerCase();
  if (NAMED[s]) return NAMED[s];
  const hex = /^#([0-9a-f]{3}|[0-9a-f]{6})$/.exec(s);
  if (hex) {
    const h = hex[1].length === 3 ? [...hex[1]].map((d) => d + d).join("") : hex[1];
    return [0, 2, 4].map((k) => parseInt(h.slice(k, k + 2), 16)) as Rgb;
  }
  const fn = /^rgba?\(\s*([\d.]+)\s*,\s*([\d.]+)\s*,\s*([\d.]+)\s*(?:,\s*[\d.]+\s*)?\)$/.exec(s);
  return fn ? ([Number(fn[1]), Number(fn[2]), Number(fn[3])] as Rgb) : null;
}

/** WCAG relative luminance, 0 (black) to 1 (white). */
export function relativeLuminance([r, g, b]: Rgb): number {
  const lin = (v: number): number => {
    const x = v / 255;
    return x <= 0.04045 ? x / 12.92 : ((x + 0.055) / 1.055) ** 2.4;
  };
  return 0.2126 * lin(r) + 0.7152 * lin(g) + 0.0722 * lin(b);
}

/** A grey (no hue to confuse): black, white and the greys between, within a small tolerance. */
function isNeutral([r, g, b]: Rgb): boolean {
  return Math.max(r, g, b) - Math.min(r, g, b) <= 16;
}

const PALETTE_RGB = PALETTE.map((c) => parseColour(c)!.join(","));

/** Why a colour is not allowed for a series, or null when it is from the palette or a neutral grey. */
function colourProblem(c: string): string | null {
  const rgb = parseColour(c);
  if (!rgb) return `colour "${c}" is not a colour the rules can read (use PALETTE)`;
  if (isNeutral(rgb) || PALETTE_RGB.includes(rgb.join(","))) return null;
  return `colour "${c}" is not from the colour-blind-safe PALETTE`;
}

// ---------------------------------------------------------------------------------------------------------------
// Colour scales

/** Plotly's named scales that are sequential, by which end is dark (see plotly.js's colorscales). */
const NAMED_DARK_HIGH = new Set(["reds"]);
const NAMED_DARK_LOW = new Set(["blues", "greens", "greys", "ylgnbu", "ylorrd", "viridis", "cividis", "hot", "blackbody", "electric"]);

/** Why a heat map's colour scale does not read dark = more, or null when it does. */
export function colourScaleProblem(scale: unknown, reversed: boolean): string | null {
  if (scale === undefined || scale === null) return "has no colorscale (plotly's default is not guaranteed dark = more; use DARK_IS_MORE)";
  if (typeof scale === "string") {
    const name = scale.toLowerCase();
    if ((NAMED_DARK_HIGH.has(name) && !reversed) || (NAMED_DARK_LOW.has(name) && reversed)) return null;
    if (NAMED_DARK_HIGH.has(name) || NAMED_DARK_LOW.has(name)) return `colorscale "${scale}"${reversed ? " reversed" : ""} draws dark = less (use DARK_IS_MORE)`;
    return `colorscale "${scale}" is not a known sequential dark = more scale (use DARK_IS_MORE)`;
  }
  if (!Array.isArray(scale) || scale.length < 2) return "colorscale is not a list of [position, colour] stops";
  const stops = (scale as unknown[]).map((s) => (Array.isArray(s) && typeof s[0] === "number" && typeof s[1] === "string" ? { at: s[0], rgb: parseColour(s[1]) } : null));
  if (stops.some((s) => s === null || s.rgb === null)) return "colorscale has a stop that is not [position, colour]";
  const lum = (stops as { at: number; rgb: Rgb }[]).sort((a, b) => a.at - b.at).map((s) => relativeLuminance(s.rgb));
  if (reversed) lum.reverse();
  // Sequential: each stop at most as light as the one before (a diverging scale turns back somewhere).
  for (let i = 1; i < lum.length; i++) {
    if (lum[i] > lum[i - 1] + 1e-6) return "colorscale is not sequential dark = more (a higher value must never be lighter)";
  }
  return lum[lum.length - 1] < lum[0] ? null : "colorscale does not get darker towards higher values";
}

// ---------------------------------------------------------------------------------------------------------------
// The rules

type Trace = Record<string, unknown>;
type Layout = Record<string, unknown>;

/** Trace types drawn on cartesian x/y axes. */
const NON_CARTESIAN = new Set([
  "pie", "sunburst", "treemap", "icicle", "funnelarea", "sankey", "table", "indicator", "parcoords", "parcats",
  "scatterpolar", "scatterpolargl", "barpolar", "scatterternary", "scattergeo", "choropleth", "scattermapbox",
  "choroplethmapbox", "densitymapbox", "scattermap", "choroplethmap", "densitymap", "scatter3d", "surface", "mesh3d",
  "cone", "streamtube", "volume", "isosurface", "scattersmith",
]);
/** Trace types plotly leaves out of the legend unless asked. */
const NOT_IN_LEGEND_BY_DEFAULT = new Set(["heatmap", "heatmapgl", "contour", "histogram2d", "histogram2dcontour", "image", "surface"]);
const HEATMAP_LIKE = new Set(["heatmap", "heatmapgl", "contour", "histogram2d", "histogram2dcontour"]);

const typeOf = (t: Trace): string => (typeof t.type === "string" ? t.type : "scatter");

/** A plotly title (a string or { text }) as text, "" when absent. */
export function titleText(title: unknown): string {
  if (typeof title === "string") return title.trim();
  if (title && typeof title === "object" && typeof (title as { text?: unknown }).text === "string") return (title as { text: string }).text.trim();
  return "";
}

/** "x" → "xaxis", "x2" → "xaxis2": the layout key of an axis id. */
function axisKey(id: string): string {
  return id.replace(/^([xy])/, "$1axis");
}

const traceLabel = (t: Trace, i: number): string => `trace ${i}${titleText(t.name) ? ` ("${titleText(t.name)}")` : ""}`;

function titleProblems(layout: Layout): string[] {
  return titleText(layout.title) ? [] : ["the figure has no title"];
}

function axisProblems(data: Trace[], layout: Layout): string[] {
  const used = new Set<string>();
  for (const t of data) {
    if (NON_CARTESIAN.has(typeOf(t))) continue;
    used.add(axisKey(typeof t.xaxis === "string" ? t.xaxis : "x"));
    used.add(axisKey(typeof t.yaxis === "string" ? t.yaxis : "y"));
  }
  return [...used].sort().filter((key) => !titleText((layout[key] as { title?: unknown } | undefined)?.title)).map((key) => `axis ${key} has no title`);
}

function legendProblems(data: Trace[], layout: Layout): string[] {
  const inLegend = data.filter((t) => (NOT_IN_LEGEND_BY_DEFAULT.has(typeOf(t)) ? t.showlegend === true : t.showlegend !== false));
  if (inLegend.length < 2) return [];
  const out: string[] = [];
  if (layout.showlegend === false) out.push(`${inLegend.length} traces but the legend is hidden`);
  data.forEach((t, i) => {
    if (inLegend.includes(t) && !titleText(t.name)) out.push(`trace ${i} is in the legend without a name`);
  });
  return out;
}

function cellCount(z: unknown): number {
  if (!Array.isArray(z)) return 0;
  return z.reduce((a: number, row: unknown) => a + (Array.isArray(row) ? row.length : 1), 0);
}

function hasCellText(t: Trace): boolean {
  return (typeof t.texttemplate === "string" && t.texttemplate.trim() !== "") || (Array.isArray(t.text) && t.text.length > 0);
}

function heatmapProblems(t: Trace, i: number): string[] {
  const out: string[] = [];
  const label = traceLabel(t, i);
  const scale = colourScaleProblem(t.colorscale, t.reversescale === true);
  if (scale) out.push(`heat map ${label}: ${scale}`);
  const cells = cellCount(t.z);
  if (t.showscale !== false && !titleText((t.colorbar as { title?: unknown } | undefined)?.title)) out.push(`heat map ${label}: the colour bar has no title`);
  if (t.showscale === false && !hasCellText(t)) out.push(`heat map ${label}: neither a colour bar nor cell text says what the colours mean`);
  if (cells > 0 && cells <= CELL_TEXT_LIMIT && !hasCellText(t)) out.push(`heat map ${label}: ${cells} cells but no value written in them (texttemplate or text)`);
  return out;
}

/** Every colour string a trace sets for its marks (arrays of colours included; numbers map through a scale). */
function traceColours(t: Trace): string[] {
  const out: string[] = [];
  const take = (v: unknown): void => {
    if (typeof v === "string") out.push(v);
    else if (Array.isArray(v)) for (const x of v) if (typeof x === "string") out.push(x);
  };
  const marker = (t.marker ?? {}) as Record<string, unknown>;
  take(marker.color);
  take((marker.line as { color?: unknown } | undefined)?.color);
  take((t.line as { color?: unknown } | undefined)?.color);
  take(t.fillcolor);
  return out;
}

function colourProblems(data: Trace[], layout: Layout): string[] {
  const out: string[] = [];
  const colorway = Array.isArray(layout.colorway) ? (layout.colorway as unknown[]).filter((c): c is string => typeof c === "string") : [];
  for (const c of colorway) {
    const p = colourProblem(c);
    if (p) out.push(`layout.colorway: ${p}`);
  }
  data.forEach((t, i) => {
    if (HEATMAP_LIKE.has(typeOf(t))) return;
    const colours = traceColours(t);
    for (const c of new Set(colours)) {
      const p = colourProblem(c);
      if (p) out.push(`${traceLabel(t, i)}: ${p}`);
    }
    const own = (t.marker as { color?: unknown } | undefined)?.color ?? (t.line as { color?: unknown } | undefined)?.color;
    if (own === undefined && !colorway.length) out.push(`${traceLabel(t, i)} has no colour: plotly's default colours are not colour-blind safe (use PALETTE)`);
  });
  return out;
}

/** What a figure breaks of the rules, one line each; empty when it follows them all. */
export function figureProblems(fig: Figure): string[] {
  const data = (Array.isArray(fig?.data) ? fig.data : []) as Trace[];
  const layout = (fig?.layout ?? {}) as Layout;
  return [
    ...titleProblems(layout),
    ...axisProblems(data, layout),
    ...legendProblems(data, layout),
    ...data.flatMap((t, i) => (HEATMAP_LIKE.has(typeOf(t)) ? heatmapProblems(t, i) : [])),
    ...colourProblems(data, layout),
  ];
}
