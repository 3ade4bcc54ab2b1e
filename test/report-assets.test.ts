// Light report sets: the shared plotly.js in <out>/assets/, linked and self-contained reports, `jtlab report bundle`.
// (Drawing them in Chromium is in report-browser.test.ts.)
import * as fs from "fs";
import * as path from "path";
import { describe, expect, it } from "vitest";
import { Notebook } from "../src/notebook/nbformat";
import { ensurePlotlyAsset, PLOTLY_ASSET } from "../src/report/assets";
import { bundleReport, defaultBundlePath } from "../src/report/bundle";
import { renderReport } from "../src/report/html";
import { notebookJson, reproduce } from "../src/report/publish";
import { PLOTLY_MIME, plotlyBundlePath } from "../src/viz/plotly";
import { runCli, tmpDir } from "./helpers";

const plotly = (): Buffer => fs.readFileSync(plotlyBundlePath());

/** A notebook whose one cell drew a figure and wrote `html` (raw HTML output). */
function figureNotebook(html = "<p>hello</p>"): Notebook {
  const fig = { data: [{ type: "bar", x: ["a"], y: [2] }], layout: { title: { text: "A <img src=\"nope.png\"> title" } } };
  return {
    nbformat: 4,
    nbformat_minor: 5,
    metadata: { jtlab: { status: "ok" } },
    cells: [
      {
        cell_type: "code",
        source: "x",
        metadata: { jtlab: { status: "ok", duration: 0.1 } },
        execution_count: 1,
        outputs: [
          { output_type: "display_data", data: { [PLOTLY_MIME]: fig }, metadata: {} },
          { output_type: "display_data", data: { "text/html": html }, metadata: {} },
        ],
      },
    ],
  };
}

/** A linked report (and its assets/) in a fresh folder. */
function linkedReport(html?: string): { dir: string; file: string } {
  const dir = tmpDir("jtlab-linked-");
  ensurePlotlyAsset(dir);
  const file = path.join(dir, "r.html");
  fs.writeFileSync(file, renderReport(figureNotebook(html), { title: "r", plotly: "link" }));
  return { dir, file };
}

describe("the shared plotly.js asset", () => {
  it("is written when missing, left alone when the same, replaced when different, never half-written", () => {
    const dir = tmpDir();
    const first = ensurePlotlyAsset(dir);
    expect(first).toEqual({ path: path.join(dir, PLOTLY_ASSET), written: true });
    expect(fs.readFileSync(first.path)).toEqual(plotly());
    const stamp = fs.statSync(first.path);
    expect(ensurePlotlyAsset(dir).written).toBe(false);
    expect(fs.statSync(first.path).ino).toBe(stamp.ino);
    expect(fs.statSync(first.path).mtimeMs).toBe(stamp.mtimeMs);
    fs.writeFileSync(first.path, "/* an older plotly.js */");
    expect(ensurePlotlyAsset(dir).written).toBe(true);
    expect(fs.readFileSync(first.path)).toEqual(plotly());
    expect(fs.readdirSync(path.join(dir, "assets"))).toEqual(["plotly.min.js"]);
  });
});

describe("linked and self-contained reports", () => {
  it("a linked report loads assets/plotly.min.js and carries only its content", () => {
    const html = renderReport(figureNotebook(), { title: "t", plotly: "link" });
    expect(html).toContain('<script src="assets/plotly.min.js"></script>');
    expect(html.length).toBeLessThan(60_000);
    expect(html).toContain('<meta name="generator" content="jtlab report">');
    // Without plotly.js each figure's place explains itself.
    expect(html).toContain("plotly.js not found at assets/plotly.min.js; run `jtlab report bundle {file}`");
  });

  it("a self-contained report (the default) embeds plotly.js once", () => {
    const html = renderReport(figureNotebook(), { title: "t" });
    expect(html).not.toContain("<script src=");
    expect(html.length).toBeGreaterThan(plotly().length);
    expect(html.split("Plotly.newPlot").length - 1).toBe(1);
  });

  it("report tables get a frame that scrolls, sticky headers and the sorting script", () => {
    const html = renderReport(figureNotebook('<table class="jtlab-table"><thead><tr><th>a</th></tr></thead><tbody><tr><td class="num" data-value="1">1</td></tr></tbody></table>'), { title: "t" });
    expect(html).toMatch(/\.jtlab-table-frame\{[^}]*max-width:100%[^}]*overflow:auto/);
    expect(html).toMatch(/\.jtlab-table-frame thead th\{position:sticky;top:0/);
    expect(html).toContain("aria-sort");
    expect(html).toMatch(/pre\{[^}]*overflow-x:auto;max-width:100%/);
  });
});

describe("executed notebooks", () => {
  it("are written as nbformat's indented JSON with a figure's coordinates on one line, and parse to the same value", () => {
    const xs = Array.from({ length: 1000 }, (_, i) => i * 3);
    const nb = figureNotebook();
    nb.cells[0].source = ["const a = 1;\n", "const b = 2;"];
    (nb.cells[0].outputs![0] as { data: Record<string, any> }).data[PLOTLY_MIME].data[0].x = xs;
    (nb.metadata as Record<string, unknown>).gone = undefined;
    (nb.metadata as Record<string, unknown>).nested = [[1, 2], [], {}, [undefined, "x"]];
    const text = notebookJson(nb);
    expect(JSON.parse(text)).toEqual(JSON.parse(JSON.stringify(nb)));
    expect(text.endsWith("}\n")).toBe(true);
    expect(text).toContain(`"x": ${JSON.stringify(xs)}`);
    expect(text).toContain('   "source": [\n    "const a = 1;\\n",\n    "const b = 2;"\n   ]');
    expect(text.length).toBeLessThan(JSON.stringify(nb, null, 1).length / 2);
  });
});

describe("jtlab reproduce and run write plotly.js once per folder", () => {
  it("links every report to <out>/assets/plotly.min.js, or embeds it with selfContained", async () => {
    const dir = tmpDir();
    const nbDir = path.join(dir, "notebooks");
    fs.mkdirSync(nbDir);
    const source = 'import { showPlot } from "./src/viz/plotly";\nshowPlot({ data: [{ type: "bar", x: ["a"], y: [1] }], layout: { title: { text: "one bar" } } });';
    const nb = JSON.stringify({ nbformat: 4, nbformat_minor: 5, metadata: {}, cells: [{ cell_type: "code", source, metadata: {}, outputs: [], execution_count: null }] });
    for (const name of ["01-a", "02-b"]) fs.writeFileSync(path.join(nbDir, `${name}.ipynb`), nb);
    const profiles = path.join(dir, "profiles.json");
    fs.writeFileSync(profiles, JSON.stringify({ quick: {} }));
    const linked = path.join(dir, "linked");
    const { results } = await reproduce({ profile: "quick", notebooksDir: nbDir, profilesFile: profiles, outDir: linked, log: () => undefined });
    expect(results.map((r) => r.ok)).toEqual([true, true]);
    expect(fs.readdirSync(linked).sort()).toEqual(["01-a.html", "01-a.ipynb", "02-b.html", "02-b.ipynb", "assets", "index.html"]);
    expect(fs.readFileSync(path.join(linked, PLOTLY_ASSET))).toEqual(plotly());
    for (const r of results) {
      const html = fs.readFileSync(r.htmlPath, "utf8");
      expect(html).toContain('<script src="assets/plotly.min.js"></script>');
      expect(r.reportBytes).toBe(Buffer.byteLength(html));
      expect(r.reportBytes).toBeLessThan(100_000);
    }
    const own = path.join(dir, "own");
    const selfContained = await reproduce({ profile: "quick", notebooksDir: nbDir, profilesFile: profiles, outDir: own, only: ["01"], selfContained: true, log: () => undefined });
    expect(fs.readdirSync(own).sort()).toEqual(["01-a.html", "01-a.ipynb", "index.html"]);
    expect(selfContained.results[0].reportBytes).toBeGreaterThan(plotly().length);
  }, 120_000);
});

describe("jtlab report bundle", () => {
  it("writes <name>.bundle.html beside the report with plotly.js and local images inside", () => {
    const { dir, file } = linkedReport('<img alt="dot" src="img/dot.png"><img alt="far" src="https://example.org/x.png">');
    fs.mkdirSync(path.join(dir, "img"));
    const png = Buffer.from("89504e470d0a1a0a", "hex");
    fs.writeFileSync(path.join(dir, "img", "dot.png"), png);
    const r = bundleReport(file);
    expect(r.out).toBe(path.join(dir, "r.bundle.html"));
    expect(r.out).toBe(defaultBundlePath(file));
    expect(r.inlined).toEqual(["assets/plotly.min.js", "img/dot.png"]);
    expect(r.remote).toEqual(["https://example.org/x.png"]);
    const html = fs.readFileSync(r.out, "utf8");
    expect(html).not.toContain("<script src=");
    expect(html).toContain(`src="data:image/png;base64,${png.toString("base64")}"`);
    expect(r.bytes).toBe(Buffer.byteLength(html));
    expect(r.bytes).toBeGreaterThan(plotly().length);
    // Text inside the figure's JSON is data, not markup: left exactly as it was.
    expect(html).toContain('"A <img src=\\"nope.png\\"> title"');
    // The linked report itself is untouched.
    expect(fs.readFileSync(file, "utf8")).toContain('<script src="assets/plotly.min.js"></script>');
  });

  it("refuses to replace an existing file unless forced", () => {
    const { file } = linkedReport();
    const out = path.join(path.dirname(file), "mine.html");
    fs.writeFileSync(out, "my own notes");
    expect(() => bundleReport(file, { out })).toThrow(`${out} already exists; pass --force to replace it`);
    expect(fs.readFileSync(out, "utf8")).toBe("my own notes");
    expect(bundleReport(file, { out, force: true }).out).toBe(out);
    expect(fs.readFileSync(out, "utf8")).toContain("Plotly.newPlot");
  });

  it("says what is wrong: no such file, not a jtlab report, a missing asset", () => {
    const dir = tmpDir();
    expect(() => bundleReport(path.join(dir, "gone.html"))).toThrow(`${path.join(dir, "gone.html")}: no such file`);
    const other = path.join(dir, "other.html");
    fs.writeFileSync(other, "<!DOCTYPE html><title>x</title><script src=\"a.js\"></script>");
    expect(() => bundleReport(other)).toThrow(`${other}: not a jtlab report`);
    const { dir: linked, file } = linkedReport();
    fs.rmSync(path.join(linked, "assets"), { recursive: true });
    expect(() => bundleReport(file)).toThrow(`${file} loads assets/plotly.min.js, which is missing (expected at ${path.join(linked, PLOTLY_ASSET)})`);
    expect(fs.existsSync(defaultBundlePath(file))).toBe(false);
  });

  it("the command prints the file it wrote and exits 1 with the problem in one line", () => {
    const { file } = linkedReport();
    const ok = runCli(["report", "bundle", file]);
    expect(ok.status, ok.stderr).toBe(0);
    expect(ok.stdout).toMatch(/r\.bundle\.html \(\d+\.\d MB, 1 file\(s\) inlined: assets\/plotly\.min\.js\)/);
    const again = runCli(["report", "bundle", file]);
    expect(again.status).toBe(1);
    expect(again.stderr).toMatch(/^jtlab report: .*r\.bundle\.html already exists; pass --force to replace it/);
    expect(runCli(["report", "bundle", file, "--force"]).status).toBe(0);
    expect(runCli(["report", "bundle"]).status).toBe(2);
    expect(runCli(["report", "pack", file]).stderr).toMatch(/unknown .*subcommand "pack"/);
  }, 60_000);
});
