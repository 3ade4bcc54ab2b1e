// The one table renderer: per-column number formats, escaping, the frame markup the report styles, the text form.
import { describe, expect, it } from "vitest";
import { Row } from "../src/core/types";
import { tableHtml, tableText } from "../src/runtime/display";
import { formatNumber, inferFormat, renderTableHtml, renderTableText, tableLayout } from "../src/runtime/table-format";

/** The cells of one column, as shown. */
const shown = (rows: Row[], col: string, opts = {}): string[] => {
  const t = tableLayout(rows, opts);
  const c = t.columns.find((x) => x.name === col)!;
  return t.rows.map((r) => c.cell(r[col]));
};

describe("column formats", () => {
  it("writes a percent column with one decimal throughout, integers included", () => {
    const rows = [{ "role acc %": 68.2 }, { "role acc %": 72 }, { "role acc %": 37 }];
    expect(shown(rows, "role acc %")).toEqual(["68.2", "72.0", "37.0"]);
    expect(shown([{ "share percent": 5 }, { "share percent": 12.345 }], "share percent")).toEqual(["5.0", "12.3"]);
  });

  it("writes fractions (metrics) with three decimals, counts with separators, seconds with one decimal", () => {
    const rows = [
      { MRR: 0.5, titles: 55416, seconds: 4.567, "mining s": 2 },
      { MRR: 0.12345, titles: 12, seconds: 10, "mining s": 0.25 },
    ];
    expect(shown(rows, "MRR")).toEqual(["0.500", "0.123"]);
    expect(shown(rows, "titles")).toEqual(["55,416", "12"]);
    expect(shown(rows, "seconds")).toEqual(["4.6", "10.0"]);
    expect(shown(rows, "mining s")).toEqual(["2.0", "0.3"]);
  });

  it("gives a plain fractional column the decimals its values need, the same in every row", () => {
    expect(shown([{ x: 68.2 }, { x: 72 }, { x: 37 }], "x")).toEqual(["68.2", "72.0", "37.0"]);
    expect(shown([{ x: 1.25 }, { x: 3 }], "x")).toEqual(["1.25", "3.00"]);
    expect(shown([{ x: 12345.678 }, { x: 2 }], "x")).toEqual(["12,345.7", "2.0"]);
  });

  it("leaves text in a numeric column as it is, and empty cells empty", () => {
    const rows: Row[] = [{ acc: 0.5 }, { acc: "n/a" }, { acc: null }, { acc: NaN }];
    expect(shown(rows, "acc")).toEqual(["0.500", "n/a", "", "n/a"]);
  });

  it("lets the caller name a column's format, over its name and values", () => {
    const rows = [{ score: 3, MRR: 42.5, n: 0.5 }];
    expect(shown(rows, "score", { formats: { score: "metric" } })).toEqual(["3.000"]);
    expect(shown(rows, "MRR", { formats: { MRR: "percent" } })).toEqual(["42.5"]);
    expect(shown(rows, "n", { formats: { n: "text" } })).toEqual(["0.5"]);
  });

  it("keeps `digits` for older callers: fractional columns take it, counts stay integers", () => {
    const rows = [{ a: 0.12345, b: 3, "c %": 50 }];
    expect(shown(rows, "a", { digits: 1 })).toEqual(["0.1"]);
    expect(shown(rows, "b", { digits: 1 })).toEqual(["3"]);
    expect(shown(rows, "c %", { digits: 2 })).toEqual(["50.00"]);
  });

  it("infers formats from names first, then values", () => {
    expect(inferFormat("pass %", [1, 2])).toBe("percent");
    expect(inferFormat("training.seconds", [1.5])).toBe("seconds");
    expect(inferFormat("words/s", [1000.5])).toBe("decimal");
    expect(inferFormat("pairs", [1, 2])).toBe("count");
    expect(inferFormat("similarity", [-0.25, 0.9])).toBe("metric");
    expect(inferFormat("anything", [])).toBe("text");
  });

  it("does not print a negative zero", () => {
    expect(formatNumber(-0.01, 1)).toBe("0.0");
    expect(formatNumber(-0.5, 1)).toBe("-0.5");
    expect(formatNumber(1234567, 0)).toBe("1,234,567");
  });
});

describe("HTML", () => {
  it("emits the scrolling frame, caption, header cells with scope and numeric cells with their raw value", () => {
    const html = renderTableHtml([{ method: "char TF-IDF", "acc %": 72, MRR: 0.58 }], { caption: "on test" });
    expect(html).toBe(
      '<div class="jtlab-table-frame" style="overflow:auto;max-width:100%;max-height:36em"><table class="jtlab-table">' +
        "<caption>on test</caption>" +
        '<thead><tr><th scope="col">method</th><th scope="col">acc %</th><th scope="col">MRR</th></tr></thead>' +
        '<tbody><tr><td>char TF-IDF</td><td class="num" data-value="72">72.0</td><td class="num" data-value="0.58">0.580</td></tr></tbody>' +
        "</table></div>",
    );
  });

  it("escapes every data-derived string: headers, cells, caption", () => {
    const html = tableHtml([{ "<b>col</b>": "<script>alert(1)</script>", n: 1 }], { caption: 'a "quoted" <caption>' });
    expect(html).not.toContain("<script>");
    expect(html).not.toContain("<b>");
    expect(html).toContain("&lt;script&gt;alert(1)&lt;/script&gt;");
    expect(html).toContain('<th scope="col">&lt;b&gt;col&lt;/b&gt;</th>');
    expect(html).toContain("<caption>a &quot;quoted&quot; &lt;caption&gt;</caption>");
  });

  it("marks a text cell of a numeric column as numeric without a raw value", () => {
    const html = tableHtml([{ acc: 0.5 }, { acc: "n/a" }]);
    expect(html).toContain('<td class="num" data-value="0.5">0.500</td>');
    expect(html).toContain('<td class="num">n/a</td>');
  });

  it("keeps the first maxRows rows and says so in the caption", () => {
    const rows = Array.from({ length: 1200 }, (_, i) => ({ i }));
    const html = renderTableHtml(rows, { maxRows: 3, caption: "runs" });
    expect(html).toContain("<caption>runs — first 3 of 1,200 rows</caption>");
    expect(html.match(/<tr>/g)).toHaveLength(4);
  });

  it("takes the columns it is given, in that order", () => {
    const html = tableHtml([{ a: 1, b: "x", c: 2 }], { columns: ["c", "a"] });
    expect(html).toContain('<th scope="col">c</th><th scope="col">a</th></tr>');
    expect(html).not.toContain(">x<");
  });
});

describe("text", () => {
  it("aligns columns, numbers to the right, text to the left", () => {
    const text = renderTableText(
      [
        { method: "majority", "acc %": 40.25, titles: 12000 },
        { method: "char TF-IDF", "acc %": 7, titles: 5 },
      ],
      { caption: "test" },
    );
    expect(text.split("\n")).toEqual([
      "test",
      "method       acc %  titles",
      "-----------  -----  ------",
      "majority      40.3  12,000",
      "char TF-IDF    7.0       5",
    ]);
  });

  it("tableText (the CLI's) shows the same cells as the HTML", () => {
    const rows = [{ transformation: "typo", "pass %": 90 }];
    expect(tableText(rows).split("\n")[2]).toBe("typo              90.0");
    expect(tableHtml(rows)).toContain(">90.0</td>");
  });
});
