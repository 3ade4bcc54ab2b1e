import * as fs from "fs";
import * as path from "path";
import { describe, expect, it } from "vitest";
import { kernelspec, kernelspecDir } from "../src/cli/commands/kernel";
import { typedValue } from "../src/cli/params";
import { Notebook } from "../src/notebook/nbformat";
import { reproduce } from "../src/report/publish";
import { renderMarkdown, renderReport } from "../src/report/html";
import { progress } from "../src/runtime/progress";
import { PLOTLY_MIME } from "../src/viz/plotly";
import { runCli, tmpDir } from "./helpers";

describe("parameter values are typed from their text", () => {
  it.each([
    ["200", 200],
    ["-1.5", -1.5],
    ["true", true],
    ["false", false],
    ["null", null],
    ["[1,2]", [1, 2]],
    ['{"a":1}', { a: 1 }],
    ['"quoted"', "quoted"],
    ["quick", "quick"],
    ["1e3", 1000],
    ["0x10", "0x10"],
    ["[not json", "[not json"],
  ])("%s", (text, value) => {
    expect(typedValue(text)).toEqual(value);
  });
});

describe("HTML reports", () => {
  it("render markdown tables and math (MathML, no fonts needed)", () => {
    const html = renderMarkdown("| a | b |\n|---|---|\n| 1 | 2 |\n\nInline $x^2$ and $$\\sum_i x_i$$ and `$not math$`.");
    expect(html).toContain("<table>");
    expect((html.match(/<math/g) ?? []).length).toBe(2);
    expect(html).toContain("<code>$not math$</code>");
  });

  it("embed plotly.js once however many figures, and escape text outputs", () => {
    const fig = { data: [{ type: "bar", x: [1], y: [2] }], layout: {} };
    const nb: Notebook = {
      nbformat: 4,
      nbformat_minor: 5,
      metadata: { jtlab: { status: "ok", parameters: { who: "<i>x</i>" } } },
      cells: [
        {
          cell_type: "code",
          source: "x",
          metadata: { jtlab: { status: "ok", duration: 0.1 } },
          execution_count: 1,
          outputs: [
            { output_type: "display_data", data: { [PLOTLY_MIME]: fig }, metadata: {} },
            { output_type: "display_data", data: { [PLOTLY_MIME]: { ...fig, layout: { title: "</script><script>alert(1)</script>" } } }, metadata: {} },
            { output_type: "stream", name: "stdout", text: "<script>alert(2)</script>" },
            { output_type: "display_data", data: { "text/plain": "<b>plain</b>" }, metadata: {} },
          ],
        },
      ],
    };
    const html = renderReport(nb, { title: "t<1>" });
    expect(html.split("Plotly.newPlot").length - 1).toBe(1);
    expect((html.match(/class="plotly-figure"/g) ?? []).length).toBe(2);
    expect(html.length).toBeGreaterThan(1_000_000); // plotly.js inlined: opens offline
    expect((html.match(/<script>!function|<script>\/\*\*/g) ?? []).length).toBeLessThanOrEqual(1);
    expect(html).not.toContain("</script><script>alert(1)");
    expect(html).toContain("&lt;script&gt;alert(2)&lt;/script&gt;");
    expect(html).toContain("&lt;b&gt;plain&lt;/b&gt;");
    expect(html).toContain("&lt;i&gt;x&lt;/i&gt;");
    expect(html).toContain("<title>t&lt;1&gt; — Job Title Lab</title>");
  });

  it("a report without figures does not carry plotly.js", () => {
    const nb: Notebook = { nbformat: 4, nbformat_minor: 5, metadata: {}, cells: [{ cell_type: "markdown", source: "# hi", metadata: {} }] };
    expect(renderReport(nb, { title: "x" }).length).toBeLessThan(20_000);
  });
});

describe("progress outside a kernel", () => {
  it("writes plain lines, throttled, and always the final one", () => {
    const lines: string[] = [];
    const p = progress(1000, "pairs", { everyMs: 60_000, write: (l) => lines.push(l) });
    for (let i = 0; i < 1000; i++) p.tick(1, "loss 0.5");
    p.finish("done");
    expect(lines.length).toBe(2);
    expect(lines[1]).toMatch(/^pairs: 1,000\/1,000 \(100%\) .* · done$/);
  });
});

describe("jtlab kernel install", () => {
  it("writes a kernelspec that starts tslab from this project at its root", () => {
    const prefix = tmpDir();
    const r = runCli(["kernel", "install", "--prefix", prefix]);
    expect(r.status, r.stderr).toBe(0);
    const file = path.join(kernelspecDir({ prefix, name: "jtlab" }), "kernel.json");
    const spec = JSON.parse(fs.readFileSync(file, "utf8"));
    expect(spec).toEqual(kernelspec("jtlab"));
    expect(spec.argv[1]).toMatch(/bin\/jtlab-kernel\.cjs$/);
    expect(spec.argv[2]).toBe("{connection_file}");
    expect(runCli(["kernel", "install", "--prefix", prefix]).stdout).toMatch(/^updated kernelspec/);
  });
});

describe("jtlab reproduce", () => {
  it("runs every notebook in numeric order, goes on after a failure, writes index.html and reports the failure", async () => {
    const dir = tmpDir();
    const nbDir = path.join(dir, "notebooks");
    fs.mkdirSync(nbDir);
    const nb = (code: string, tags: string[] = []): string =>
      JSON.stringify({ nbformat: 4, nbformat_minor: 5, metadata: {}, cells: [{ cell_type: "code", source: code, metadata: { tags }, outputs: [], execution_count: null }] });
    fs.writeFileSync(path.join(nbDir, "10-last.ipynb"), nb('import { reportRunInfo } from "./src/runtime/run-info";\nreportRunInfo({ metrics: { answer: 42 } });'));
    fs.writeFileSync(path.join(nbDir, "02-fails.ipynb"), nb('throw new Error("deliberate");'));
    fs.writeFileSync(path.join(nbDir, "01-first.ipynb"), nb("const n: number = 1;\nconsole.log(n);", ["parameters"]));
    const profiles = path.join(dir, "profiles.json");
    fs.writeFileSync(profiles, JSON.stringify({ quick: { "01-first": { n: 7 } } }));
    const out = path.join(dir, "reports");
    const { results, indexPath } = await reproduce({ profile: "quick", notebooksDir: nbDir, profilesFile: profiles, outDir: out, log: () => undefined });
    expect(results.map((r) => [path.basename(r.notebook), r.ok])).toEqual([
      ["01-first.ipynb", true],
      ["02-fails.ipynb", false],
      ["10-last.ipynb", true],
    ]);
    const index = fs.readFileSync(indexPath, "utf8");
    expect(index).toContain('href="01-first.html"');
    expect(index).toContain("answer: <b>42</b>");
    expect(index).toMatch(/failed — cell 1.*deliberate/);
    await expect(reproduce({ profile: "nope", notebooksDir: nbDir, profilesFile: profiles, outDir: out })).rejects.toThrow(/unknown profile "nope"/);
  });
});
