// The figure rules (issue 15): every builder's figure follows them, and the rules catch the figures that do not.
import { describe, expect, it } from "vitest";
import { confusionHeatmap, heatmap, STILL_IMPROVING, trainingCurves } from "../src/viz/charts";
import { CELL_TEXT_LIMIT, colourScaleProblem, DARK_IS_MORE, figureProblems, PALETTE, parseColour, relativeLuminance } from "../src/viz/figure-rules";
import type { Figure } from "../src/viz/plotly";
import type { TypeResult } from "../src/eval/suite";
import { coverageFigure as tablesCoverage } from "../src/eval/tables";
import type { RunMetrics, TypeMetrics } from "../src/experiments/metrics";
import { coverageFigure as comparisonCoverage, ProtocolRow } from "../src/report/comparison";
import { sampleFigures } from "./fixtures/sample-figures";

type Trace = Record<string, unknown>;
type Layout = Record<string, any>;

/** A figure that follows every rule: two coloured, named lines on titled axes. */
function good(): Figure {
  return {
    data: [
      { type: "scatter", name: "a", x: [1, 2], y: [1, 2], line: { color: PALETTE[0] } },
      { type: "scatter", name: "b", x: [1, 2], y: [2, 1], line: { color: PALETTE[1] } },
    ],
    layout: { title: { text: "t" }, xaxis: { title: { text: "x (units)" } }, yaxis: { title: { text: "y (units)" } } },
  };
}

/** A small heat map that follows every rule. */
function goodHeatmap(): Trace {
  return { type: "heatmap", z: [[1, 2], [3, 4]], colorscale: DARK_IS_MORE, colorbar: { title: { text: "count" } }, texttemplate: "%{z}" };
}

const withHeatmap = (t: Trace): Figure => ({ data: [t], layout: { title: "h", xaxis: { title: "x" }, yaxis: { title: "y" } } });

describe("every figure builder follows the figure rules", () => {
  const samples = sampleFigures();

  it("has a sample of every builder", () => {
    expect(samples.length).toBeGreaterThanOrEqual(17);
    expect(new Set(samples.map((s) => s.name)).size).toBe(samples.length);
  });

  for (const { name, figure } of sampleFigures()) {
    it(name, () => {
      expect(figureProblems(figure)).toEqual([]);
    });
  }
});

describe("the rules catch a figure that breaks them", () => {
  it("passes the good figures", () => {
    expect(figureProblems(good())).toEqual([]);
    expect(figureProblems(withHeatmap(goodHeatmap()))).toEqual([]);
  });

  it("wants a title", () => {
    const f = good();
    delete (f.layout as Layout).title;
    expect(figureProblems(f)).toEqual(["the figure has no title"]);
    (f.layout as Layout).title = { text: "  " };
    expect(figureProblems(f)).toEqual(["the figure has no title"]);
  });

  it("wants a title on every axis a trace uses, second axes included", () => {
    const f = good();
    delete (f.layout as Layout).yaxis;
    expect(figureProblems(f)).toEqual(["axis yaxis has no title"]);
    const g = good();
    (g.data[1] as Trace).yaxis = "y2";
    expect(figureProblems(g)).toEqual(["axis yaxis2 has no title"]);
    (g.layout as Layout).yaxis2 = { title: "y2 (units)", overlaying: "y", side: "right" };
    // Two traces, each on its own axis: allowed.
    expect(figureProblems(g)).toEqual([]);
  });

  it("allows two traces on one y axis (one quantity, two series)", () => {
    expect(figureProblems(good())).toEqual([]);
  });

  it("wants the legend shown when two traces are in it, and each of them named", () => {
    const f = good();
    (f.layout as Layout).showlegend = false;
    expect(figureProblems(f)).toEqual(["2 traces but the legend is hidden"]);
    const g = good();
    delete (g.data[1] as Trace).name;
    expect(figureProblems(g)).toEqual(["trace 1 is in the legend without a name"]);
    // One trace in the legend (the other left out): hiding the legend is fine.
    const h = good();
    (h.data[1] as Trace).showlegend = false;
    (h.layout as Layout).showlegend = false;
    expect(figureProblems(h)).toEqual([]);
  });

  it("wants heat maps dark = more: Viridis and plain Blues are dark = less", () => {
    const viridis = figureProblems(withHeatmap({ ...goodHeatmap(), colorscale: "Viridis" }));
    expect(viridis).toHaveLength(1);
    expect(viridis[0]).toMatch(/heat map trace 0: colorscale "Viridis" draws dark = less/);
    expect(figureProblems(withHeatmap({ ...goodHeatmap(), colorscale: "Blues" }))[0]).toMatch(/"Blues" draws dark = less/);
    expect(figureProblems(withHeatmap({ ...goodHeatmap(), colorscale: "Blues", reversescale: true }))).toEqual([]);
    expect(figureProblems(withHeatmap({ ...goodHeatmap(), colorscale: "Reds" }))).toEqual([]);
    expect(figureProblems(withHeatmap({ ...goodHeatmap(), colorscale: "RdBu" }))[0]).toMatch(/not a known sequential/);
    expect(figureProblems(withHeatmap({ ...goodHeatmap(), colorscale: DARK_IS_MORE, reversescale: true }))[0]).toMatch(/not sequential dark = more/);
    expect(figureProblems(withHeatmap({ ...goodHeatmap(), colorscale: undefined }))[0]).toMatch(/has no colorscale/);
  });

  it("reads colour-scale arrays by luminance: a diverging scale is not sequential", () => {
    expect(colourScaleProblem([[0, "#ffffff"], [1, "#000000"]], false)).toBeNull();
    expect(colourScaleProblem([[1, "#000000"], [0, "#ffffff"]], false)).toBeNull();
    expect(colourScaleProblem([[0, "#000000"], [1, "#ffffff"]], false)).toMatch(/not sequential/);
    expect(colourScaleProblem([[0, "#2166ac"], [0.5, "#f7f7f7"], [1, "#b2182b"]], false)).toMatch(/not sequential/);
    expect(colourScaleProblem([[0, "#777777"], [1, "#777777"]], false)).toMatch(/does not get darker/);
    expect(relativeLuminance(parseColour(DARK_IS_MORE[4][1])!)).toBeLessThan(relativeLuminance(parseColour(DARK_IS_MORE[0][1])!));
  });

  it("wants cell text in heat maps that fit it, and a titled colour bar", () => {
    const plain = { ...goodHeatmap() };
    delete plain.texttemplate;
    expect(figureProblems(withHeatmap(plain))).toEqual(["heat map trace 0: 4 cells but no value written in them (texttemplate or text)"]);
    expect(figureProblems(withHeatmap({ ...plain, text: [["1", "2"], ["3", "4"]] }))).toEqual([]);
    const side = Math.ceil(Math.sqrt(CELL_TEXT_LIMIT)) + 1;
    const big = Array.from({ length: side }, () => Array.from({ length: side }, () => 1));
    expect(figureProblems(withHeatmap({ ...plain, z: big }))).toEqual([]);
    expect(figureProblems(withHeatmap({ ...goodHeatmap(), colorbar: {} }))).toEqual(["heat map trace 0: the colour bar has no title"]);
  });

  it("wants series colours from the palette (greys allowed), and no reliance on plotly's default colours", () => {
    const f = good();
    (f.data[0] as Trace).line = { color: "#1f77b4" };
    expect(figureProblems(f)).toEqual(['trace 0 ("a"): colour "#1f77b4" is not from the colour-blind-safe PALETTE']);
    (f.data[0] as Trace).line = { color: "#9e9e9e" };
    expect(figureProblems(f)).toEqual([]);
    delete (f.data[0] as Trace).line;
    expect(figureProblems(f)).toEqual(['trace 0 ("a") has no colour: plotly\'s default colours are not colour-blind safe (use PALETTE)']);
    (f.layout as Layout).colorway = [...PALETTE];
    expect(figureProblems(f)).toEqual([]);
    (f.data[0] as Trace).marker = { color: ["#0072b2", "tomato"] };
    expect(figureProblems(f)).toEqual(['trace 0 ("a"): colour "tomato" is not a colour the rules can read (use PALETTE)']);
  });

  it("has a palette of 20 distinct colours", () => {
    expect(PALETTE).toHaveLength(20);
    expect(new Set(PALETTE.map((c) => c.toLowerCase())).size).toBe(20);
    expect(PALETTE.slice(0, 7)).toEqual(["#0072b2", "#e69f00", "#009e73", "#d55e00", "#cc79a7", "#56b4e9", "#f0e442"]);
  });
});

describe("trainingCurves", () => {
  const h = (n: number, mrr = false) =>
    Array.from({ length: n }, (_, i) => ({ epoch: i + 1, loss: 8.8 - 0.2 * i, valLoss: 0.5 - 0.01 * i, valAccuracy: 0.7 + 0.01 * i, ...(mrr ? { valMrr: 0.3 + 0.02 * i } : {}) }));
  const traces = (f: Figure) => f.data as { name: string; x: number[]; y: number[]; xaxis: string; yaxis: string }[];
  const layout = (f: Figure) => f.layout as Layout;
  const annotationTexts = (f: Figure): string[] => (layout(f).annotations as { text: string }[]).map((a) => a.text);

  it("keeps each quantity on its own y axis, all over one epoch axis", () => {
    const f = trainingCurves(h(5, true), { bestEpoch: 3, lossName: "InfoNCE, both directions" });
    const t = traces(f);
    expect(t.map((x) => x.name)).toEqual(["training loss (InfoNCE, both directions)", "validation loss (binary cross-entropy)", "validation pair accuracy", "validation MRR"]);
    expect(t.map((x) => x.yaxis)).toEqual(["y", "y2", "y3", "y4"]);
    expect(new Set(t.map((x) => x.xaxis))).toEqual(new Set(["x"]));
    expect(t[0].y).toEqual(h(5).map((e) => e.loss));
    expect(t[2].y).toEqual(h(5).map((e) => e.valAccuracy));
    const l = layout(f);
    expect(l.yaxis.title.text).toBe("nats per pair");
    expect(l.yaxis2.title.text).toBe("nats per pair");
    expect(l.yaxis3.title.text).toBe("accuracy (%)");
    expect(l.yaxis4.title.text).toMatch(/MRR/);
    expect(l.xaxis.title.text).toBe("epoch");
    // Panels stacked without overlap, training loss on top.
    const domains = [l.yaxis, l.yaxis2, l.yaxis3, l.yaxis4].map((a) => a.domain as [number, number]);
    for (let k = 1; k < domains.length; k++) expect(domains[k][1]).toBeLessThan(domains[k - 1][0]);
    expect(figureProblems(f)).toEqual([]);
  });

  it("marks the best epoch in every panel with a dashed line and a label", () => {
    const f = trainingCurves(h(5), { bestEpoch: 3, lossName: "binary cross-entropy" });
    const shapes = layout(f).shapes as { x0: number; x1: number; yref: string; line: { dash: string } }[];
    expect(shapes.map((s) => s.yref)).toEqual(["y domain", "y2 domain", "y3 domain"]);
    expect(shapes.every((s) => s.x0 === 3 && s.x1 === 3 && s.line.dash === "dash")).toBe(true);
    expect(annotationTexts(f).filter((a) => a === "best epoch 3")).toHaveLength(3);
    expect(annotationTexts(f)).not.toContain(STILL_IMPROVING);
    expect(traces(f)).toHaveLength(3);
  });

  it("says so when the best epoch is the last: training was still improving", () => {
    const f = trainingCurves(h(6), { bestEpoch: 6, lossName: "binary cross-entropy", title: "Siamese training" });
    expect(annotationTexts(f)).toContain(STILL_IMPROVING);
    expect(STILL_IMPROVING).toBe("best epoch is the last: training was still improving");
    expect(layout(f).title.text).toBe("Siamese training");
  });

  it("says when the best epoch is not in the history, and refuses an empty history", () => {
    const f = trainingCurves(h(4), { bestEpoch: -1, lossName: "binary cross-entropy" });
    expect(annotationTexts(f).some((a) => /no best epoch recorded/.test(a))).toBe(true);
    expect(layout(f).shapes).toEqual([]);
    expect(() => trainingCurves([], { bestEpoch: 1, lossName: "x" })).toThrow(/no epochs/);
  });
});

describe("heat maps", () => {
  it("write each confusion count in its cell (blank for 0), gold and predicted axes, a colour bar with its unit", () => {
    const f = confusionHeatmap(["a", "b"], [[3, 0], [1, 5]], "confusion");
    const t = f.data[0] as { text: string[][]; z: number[][]; colorscale: unknown; colorbar: { title: { text: string } } };
    expect(t.text).toEqual([["3", ""], ["1", "5"]]);
    expect(t.z).toEqual([[1, 0], [1 / 6, 5 / 6]]);
    expect(t.colorscale).toBe(DARK_IS_MORE);
    expect(t.colorbar.title.text).toMatch(/\(%\)/);
    const l = f.layout as Layout;
    expect(l.xaxis.title.text).toBe("predicted class");
    expect(l.yaxis.title.text).toBe("gold class");
  });

  it("leave the cells empty past the limit, where the numbers would not fit", () => {
    const n = Math.ceil(Math.sqrt(CELL_TEXT_LIMIT)) + 1;
    const labels = Array.from({ length: n }, (_, i) => `c${i}`);
    const f = confusionHeatmap(labels, labels.map(() => labels.map(() => 1)), "big");
    expect((f.data[0] as Trace).text).toBeUndefined();
    expect(figureProblems(f)).toEqual([]);
  });

  it("write shares as whole percentages when asked, and values to 3 significant digits otherwise", () => {
    const opts = { title: "t", xTitle: "x", yTitle: "y", zTitle: "z" };
    const pct = heatmap([[0.254, 0], [0.5, 1]], ["a", "b"], ["r", "s"], { ...opts, zPercent: true });
    expect((pct.data[0] as { text: string[][] }).text).toEqual([["25%", ""], ["50%", "100%"]]);
    const raw = heatmap([[1234.5, 0.012345]], ["a", "b"], ["r"], opts);
    expect((raw.data[0] as { text: string[][] }).text).toEqual([["1230", "0.0123"]]);
    expect(((raw.layout as Layout).xaxis.title.text)).toBe("x");
    expect(((raw.data[0] as { colorbar: { title: { text: string } } }).colorbar.title.text)).toBe("z");
  });
});

describe("coverage curves mark the operating point the method uses", () => {
  const curve = [0, 0.25, 0.5, 0.75].map((threshold) => ({ threshold, coverage: 1 - threshold, accuracy: 0.6 + 0.3 * threshold, overallAccuracy: 0 }));
  type Pt = { name: string; x: number[]; y: number[]; mode: string; showlegend?: boolean; legendgroup: string };

  it("eval/tables: at the result's own coverage and covered accuracy; a result covering nothing says so", () => {
    const result = (coverage: number, coveredAccuracy: number) => ({ curve, coverage, coveredAccuracy }) as unknown as TypeResult;
    const f = tablesCoverage([{ name: "rules", result: result(0.6, 0.71) }, { name: "silent", result: result(0, 0) }], "coverage");
    const t = f.data as Pt[];
    expect(t.map((x) => x.name)).toEqual(["rules", "rules: operating point", "silent (no operating point: it covers no title)"]);
    expect([t[1].x, t[1].y, t[1].mode, t[1].showlegend, t[1].legendgroup]).toEqual([[0.6], [0.71], "markers", false, "rules"]);
    expect(t[0].x).toEqual([0.25, 0.5, 0.75, 1]);
    expect((f.layout as Layout).xaxis.title.text).toMatch(/%/);
    expect((f.layout as Layout).yaxis.title.text).toMatch(/%/);
    expect(figureProblems(f)).toEqual([]);
  });

  it("report/comparison: calibrated rows at p ≥ 0.5, others at their recorded coverage, never an invented threshold", () => {
    const row = (label: string, m: Partial<TypeMetrics>): ProtocolRow => ({
      key: label,
      label,
      protocol: "p",
      run: null,
      levelBy: "rules",
      metrics: { test: { levelGold: "test", role: { accuracy: 0.5, macroF1: 0.5, coverage: 1, curve, ...m }, industry: { accuracy: 0, macroF1: 0, coverage: 1 }, level: null, golden: { passed: 0, total: 0, failures: [] } } } as RunMetrics,
    });
    const bins = [{ lo: 0, hi: 1, count: 10, meanProb: 0.5, accuracy: 0.5 }];
    const rows = [
      row("calibrated", { coverage: 0.5, reliability: bins }),
      row("rules", { coverage: 0.75 }),
      row("between", { coverage: 0.6 }),
      row("no curve", { curve: undefined }),
      row("no coverage", { coverage: 0 }),
    ];
    const t = comparisonCoverage(rows, "role", "test").data as Pt[];
    const marks = t.filter((x) => x.mode === "markers");
    expect(marks.map((x) => [x.name, x.x[0], x.y[0]])).toEqual([
      ["calibrated · p: operating point (calibrated p ≥ 0.5)", 0.5, curve[2].accuracy],
      ["rules · p: operating point (the method's own threshold, not recorded)", 0.75, curve[1].accuracy],
      ["between · p: operating point (the method's own threshold, not recorded; accuracy read between two curve points)", 0.6, expect.closeTo(0.72, 9)],
    ]);
    const linesShown = t.filter((x) => x.mode === "lines").map((x) => x.name);
    expect(linesShown).toEqual(["calibrated · p", "rules · p", "between · p", "no coverage · p (no operating point recorded)"]);
  });
});
