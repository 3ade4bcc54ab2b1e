// Rows and figures from evaluation results, for notebooks and reports.
import { Row } from "../core/types";
import { DataFrame, frame } from "../runtime/frames";
import { CATEGORY_NAMES } from "../taxonomy/classes";
import { Figure } from "../viz/plotly";
import { confusionHeatmap } from "../viz/charts";
import { seriesColour } from "../viz/figure-rules";
import { SuiteResult, TypeResult } from "./suite";

const pct = (x: number): number => Math.round(x * 1000) / 10;

/** One row per method: accuracy, macro-F1 and coverage per category type, golden cases. */
export function suiteRows(results: SuiteResult[]): Row[] {
  // One split for every row: name it in the headers. Mixed splits: a column per split, so that no row's figure
  // lands under another split's header (or under none).
  const same = results.every((r) => r.split === results[0]?.split && r.levelSplit === results[0]?.levelSplit);
  const sp = (r: SuiteResult): string => (same ? ` (${r.split})` : "");
  const lsp = (r: SuiteResult): string => (same ? ` (gold ${r.levelSplit})` : "");
  return results.map((r) => ({
    method: r.method,
    ...(same ? {} : { split: r.split, "level split": `gold ${r.levelSplit}` }),
    [`role acc %${sp(r)}`]: pct(r.role.accuracy),
    "role macro-F1 %": pct(r.role.macroF1),
    "role coverage %": pct(r.role.coverage),
    [`industry acc %${sp(r)}`]: pct(r.industry.accuracy),
    "industry macro-F1 %": pct(r.industry.macroF1),
    [`level acc %${lsp(r)}`]: r.level ? pct(r.level.accuracy) : "n/a",
    "level macro-F1 %": r.level ? pct(r.level.macroF1) : "n/a",
    golden: `${r.golden.passed}/${r.golden.total}`,
  }));
}

export function goldenFailureRows(r: SuiteResult): Row[] {
  return r.golden.failures.map((f) => ({ title: f.title, type: f.type, expected: `${f.expect === "is_not" ? "not " : ""}${f.label}`, got: f.got }));
}

/** Per-class precision, recall and F1 (%) with support, as a danfojs DataFrame to sort, filter or group in a cell. */
export function perClassFrame(t: TypeResult): DataFrame {
  return frame(perClassRows(t));
}

export function perClassRows(t: TypeResult): Row[] {
  return t.report.perClass
    .filter((c) => c.support > 0 || c.predicted > 0)
    .map((c) => ({ class: c.label, support: c.support, predicted: c.predicted, precision: pct(c.precision), recall: pct(c.recall), F1: pct(c.f1) }));
}

/**
 * Accuracy on the covered titles against coverage as the threshold sweeps, one line per result, each with its
 * operating point marked: the coverage and covered accuracy the predictor reached at the threshold it uses.
 */
export function coverageFigure(results: { name: string; result: TypeResult }[], title: string): Figure {
  const data: Record<string, unknown>[] = [];
  results.forEach(({ name, result }, i) => {
    const pts = result.curve.filter((p) => p.coverage > 0).sort((a, b) => a.coverage - b.coverage);
    const colour = seriesColour(i);
    const covered = result.coverage > 0;
    data.push({
      type: "scatter",
      mode: "lines",
      name: covered ? name : `${name} (no operating point: it covers no title)`,
      x: pts.map((p) => p.coverage),
      y: pts.map((p) => p.accuracy),
      line: { color: colour },
      legendgroup: name,
      customdata: pts.map((p) => p.threshold),
      hovertemplate: "threshold %{customdata}<br>coverage %{x:.1%}, accuracy %{y:.1%}<extra>%{fullData.name}</extra>",
    });
    if (covered) data.push(operatingPoint(name, result.coverage, result.coveredAccuracy, colour));
  });
  return {
    data,
    layout: {
      title: { text: `${title}<br><sup>◆ = operating point (the threshold the predictor uses)</sup>` },
      height: 460,
      margin: { t: 70 },
      xaxis: { title: { text: "coverage (% of titles given a class)" }, tickformat: ".0%", range: [0, 1.02] },
      yaxis: { title: { text: "accuracy on covered titles (%)" }, tickformat: ".0%" },
      legend: { orientation: "h", y: -0.18 },
    },
  };
}

/** The marker of a curve's operating point: in the curve's legend group, so that the legend hides both. */
function operatingPoint(name: string, coverage: number, accuracy: number, colour: string): Record<string, unknown> {
  return {
    type: "scatter",
    mode: "markers",
    name: `${name}: operating point`,
    x: [coverage],
    y: [accuracy],
    marker: { color: colour, size: 13, symbol: "diamond", line: { color: "black", width: 1 } },
    legendgroup: name,
    showlegend: false,
    hovertemplate: `${name.replace(/[<&]/g, "")}: operating point<br>coverage %{x:.1%}, accuracy %{y:.1%}<extra></extra>`,
  };
}

export function confusionFigure(t: TypeResult, type: "role" | "industry" | "level", method: string): Figure {
  return confusionHeatmap(t.report.labels, t.report.confusion, `${CATEGORY_NAMES[type]}: confusion of ${method} (row-normalized)`);
}
