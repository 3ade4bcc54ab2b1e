import * as crypto from "crypto";
import * as fs from "fs";
import * as path from "path";
import { describe, expect, it } from "vitest";
import { Notebook, readNotebook } from "../src/notebook/nbformat";
import { declaredParams, injectedSource, parameterize } from "../src/notebook/params";
import { locateFailure } from "../src/notebook/runner";
import { runCli, tmpDir } from "./helpers";

function notebook(cells: [string, string, string[]?][]): Notebook {
  return {
    nbformat: 4,
    nbformat_minor: 5,
    metadata: {},
    cells: cells.map(([type, source, tags]) =>
      type === "md"
        ? { cell_type: "markdown", source, metadata: {} }
        : { cell_type: "code", source, metadata: tags ? { tags } : {}, outputs: [], execution_count: null },
    ),
  };
}

function write(dir: string, name: string, nb: Notebook): string {
  const f = path.join(dir, name);
  fs.writeFileSync(f, JSON.stringify(nb, null, 1));
  return f;
}

const sha = (f: string): string => crypto.createHash("sha256").update(fs.readFileSync(f)).digest("hex");

describe("parameters (papermill's convention)", () => {
  it("finds declarations and their types with tslab's parser", () => {
    expect(declaredParams('const n: number = 200;\nlet mode: "quick" | "full" = "quick", tag = "x";\nfoo();')).toEqual([
      { name: "n", type: "number", initializer: "200" },
      { name: "mode", type: '"quick" | "full"', initializer: '"quick"' },
      { name: "tag", type: null, initializer: '"x"' },
    ]);
  });

  it("injects typed values after the parameters cell, tagged injected-parameters", () => {
    const nb = notebook([["md", "# t"], ["code", "const n: number = 1;", ["parameters"]], ["code", "n"]]);
    const p = parameterize(nb, { n: 5 });
    expect(p.cells.map((c) => c.metadata.tags ?? [])).toEqual([[], ["parameters"], ["injected-parameters"], []]);
    expect(p.cells[2].source).toEqual(["// Parameters (injected by jtlab run)\n", "let n: number = 5;\n"]);
    // The source object is not modified.
    expect(nb.cells).toHaveLength(3);
  });

  it("refuses an unknown parameter, naming the known ones", () => {
    expect(() => injectedSource(declaredParams("const n = 1;"), { m: 2 })).toThrow(/unknown parameter m \(did you mean n\?\); this notebook's parameters: n/);
    expect(() => injectedSource(declaredParams("const word2vecEpochs = 1;\nconst split = 'dev';"), { word2vecEpoch: 2, zzz: 1 })).toThrow(
      /unknown parameters word2vecEpoch \(did you mean word2vecEpochs\?\), zzz; this notebook's parameters: word2vecEpochs, split/,
    );
  });
});

describe("locating a failure in a cell", () => {
  it("reads tslab's compile diagnostics", () => {
    expect(locateFailure("const a = 1;\nconst b = a +\n  nope;", "3:3 - Cannot find name 'nope'.\n")).toEqual({
      line: 3,
      column: 3,
      lineText: "nope;",
      error: "Cannot find name 'nope'.",
    });
  });
  it("matches the source line Node prints for a runtime error", () => {
    const err = 'evalmachine.<anonymous>:4\n    throw new Error("boom");\n    ^\n\nError: boom\n    at f (evalmachine.<anonymous>:4:11)\n';
    expect(locateFailure('function f() {\n  throw new Error("boom");\n}\nf();', err)).toEqual({ line: 2, column: null, lineText: 'throw new Error("boom");', error: "Error: boom" });
  });
  it("takes the position the traceback was mapped to when there is one", () => {
    const err = "Error: boom\n    at f (cell 2:2:9)\n";
    expect(locateFailure('function f() {\n  throw new Error("boom");\n}\nf();', err, { line: 2, column: 9 })).toEqual({
      line: 2,
      column: 9,
      lineText: 'throw new Error("boom");',
      error: "Error: boom",
    });
  });
});

describe("jtlab run (drives the real tslab kernel)", () => {
  const dir = tmpDir();

  it("runs a notebook with parameters, writes the executed notebook and report, keeps the previous one", () => {
    const src = write(
      dir,
      "params.ipynb",
      notebook([
        ["md", "# Params $x^2$"],
        ["code", 'const n: number = 1;\nconst who: string = "nobody";', ["parameters"]],
        ["code", 'console.log(`n*2=${n * 2} who=${who}`);\nconsole.error("to stderr");'],
        ["code", 'import { showTable } from "./src/runtime/display";\nshowTable([{ title: "<script>alert(1)</script>", n: 1 }]);'],
      ]),
    );
    const before = sha(src);
    const out = path.join(dir, "out");
    const r = runCli(["run", src, "-p", "n=21", "-p", "who=<b>me</b>", "--out", out, "--quiet"]);
    expect(r.status, r.stderr).toBe(0);
    expect(sha(src)).toBe(before);
    const nb = readNotebook(path.join(out, "params.ipynb"));
    const text = JSON.stringify(nb.cells[3].outputs);
    expect(text).toContain("n*2=42 who=<b>me</b>");
    expect(nb.cells[2].metadata.tags).toEqual(["injected-parameters"]);
    expect(nb.cells[3].execution_count).toBe(3);
    expect(typeof nb.cells[3].metadata.jtlab.duration).toBe("number");
    expect(nb.metadata.jtlab).toMatchObject({ status: "ok", parameters: { n: 21, who: "<b>me</b>" } });
    const html = fs.readFileSync(path.join(out, "params.html"), "utf8");
    // Every data-derived string is escaped: the parameter, the stream text, the table cell.
    expect(html).toContain("who=&lt;b&gt;me&lt;/b&gt;");
    expect(html).toContain("&lt;script&gt;alert(1)&lt;/script&gt;");
    expect(html).not.toContain("<script>alert(1)");
    expect(html).toContain("<math");
    // A second run keeps the first report as *.prev.html.
    const first = fs.readFileSync(path.join(out, "params.html"));
    const r2 = runCli(["run", src, "--out", out, "--quiet"]);
    expect(r2.status, r2.stderr).toBe(0);
    expect(fs.readFileSync(path.join(out, "params.prev.html"))).toEqual(first);
  });

  it("refuses an unknown parameter before starting the kernel", () => {
    const src = write(dir, "p2.ipynb", notebook([["code", "const n = 1;", ["parameters"]]]));
    const r = runCli(["run", src, "-p", "m=1", "--out", path.join(dir, "o2")]);
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/unknown parameter m \(did you mean n\?\); this notebook's parameters: n/);
    expect(fs.existsSync(path.join(dir, "o2", "p2.html"))).toBe(false);
  });

  it("stops at the first failing cell, names it and the line, and exits non-zero", () => {
    const src = write(
      dir,
      "fail.ipynb",
      notebook([
        ["md", "intro"],
        ["code", "const a = 1;"],
        ["code", 'function boom(): never {\n  throw new Error("kaput" + a);\n}\nawait Promise.resolve();\n\nboom();'],
        ["code", 'console.log("never runs");'],
      ]),
    );
    const out = path.join(dir, "o3");
    const r = runCli(["run", src, "--out", out, "--quiet"]);
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/error in cell 3, line 2, column 9 \(throw new Error\("kaput" \+ a\);\): Error: kaput1/);
    const nb = readNotebook(path.join(out, "fail.ipynb"));
    // The executed notebook's traceback names the cell's own lines, without tslab's or node's frames.
    const stderr = (nb.cells[2].outputs ?? []).map((o) => (o.output_type === "stream" ? o.text : "")).join("");
    expect(stderr).toContain("Error: kaput1\n    at boom (cell 3:2:9)\n    at cell 3:6:1");
    expect(stderr).not.toMatch(/evalmachine|node_modules[\\/]tslab|node:internal/);
    expect(nb.cells[2].metadata.jtlab.error).toMatchObject({ cell: 3, line: 2, column: 9 });
    // Counts as Jupyter gives them: every cell the kernel ran, the failed one included; none for the skipped one.
    expect(nb.cells.map((c) => (c.cell_type === "code" ? c.execution_count : "md"))).toEqual(["md", 1, 2, null]);
    expect(nb.cells[3].metadata.jtlab.status).toBe("skipped");
    expect(JSON.stringify(nb.cells[3].outputs)).not.toContain("never runs");
    expect(fs.readFileSync(path.join(out, "fail.html"), "utf8")).toContain("This run failed in cell 3, line 2");
  });

  it("stops a cell that runs past --timeout", () => {
    const src = write(dir, "slow.ipynb", notebook([["code", "await new Promise((r) => setTimeout(r, 60000));"]]));
    const r = runCli(["run", src, "--out", path.join(dir, "o4"), "--timeout", "2", "--quiet"]);
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/cell 1: the cell ran longer than 2 s/);
  });
});

describe("stopped and unfinished runs (no kernel)", () => {
  // A notebook as the runner leaves it while cell 3 runs: cell 2 done, cell 4 not reached.
  function running(): Notebook {
    const nb = notebook([["md", "# t"], ["code", "const a = 1;"], ["code", "while (true) {}"], ["code", "a"]]);
    nb.metadata.jtlab = { status: "running", started: new Date(Date.now() - 5000).toISOString(), running_cell: 3, parameters: {} };
    nb.cells[1].metadata.jtlab = { status: "ok", duration: 0.01 };
    nb.cells[2].metadata.jtlab = { status: "running", start_time: new Date().toISOString() };
    return nb;
  }

  it("markUnfinished closes a run stopped by a signal as interrupted at the running cell", async () => {
    const { markUnfinished } = await import("../src/notebook/runner");
    const nb = running();
    markUnfinished(nb, "SIGTERM");
    expect(nb.metadata.jtlab).toMatchObject({ status: "interrupted", interrupted: { signal: "SIGTERM", cell: 3 }, failure: null });
    expect(nb.metadata.jtlab.running_cell).toBeUndefined();
    expect(nb.metadata.jtlab.duration).toBeGreaterThanOrEqual(4);
    expect(nb.cells.map((c) => c.metadata.jtlab?.status)).toEqual([undefined, "ok", "interrupted", "skipped"]);
    // A run that already has its final status is left alone.
    markUnfinished(nb, "SIGINT");
    expect(nb.metadata.jtlab.interrupted.signal).toBe("SIGTERM");
  });

  it("markUnfinished without a signal (an uncaught error, process.exit) marks the run failed at that cell", async () => {
    const { markUnfinished } = await import("../src/notebook/runner");
    const nb = running();
    markUnfinished(nb, null);
    expect(nb.metadata.jtlab).toMatchObject({ status: "failed", failure: { cell: 3, error: "jtlab exited while the notebook was running" }, interrupted: null });
  });

  it("the report of an interrupted run says so at the top, in its header and on the cells", async () => {
    const { markUnfinished } = await import("../src/notebook/runner");
    const { renderReport } = await import("../src/report/html");
    const nb = running();
    const partial = renderReport(nb, { title: "t" });
    expect(partial).toContain("This run had not finished when this report was saved (while cell 3 was running)");
    expect(partial).toContain("running cell 3 (not finished)");
    markUnfinished(nb, "SIGINT");
    const html = renderReport(nb, { title: "t" });
    expect(html).toMatch(/<header><h1>t<\/h1><div class="banner interrupted">This run was interrupted at cell 3 by SIGINT/);
    expect(html).toContain("<th>status</th><td>interrupted at cell 3 by SIGINT</td>");
    expect(html).toContain("not run (the run was interrupted)");
    expect(html).toContain('class="cell code status-interrupted"');
  });

  it("the report of a failed run says failed at cell N in its header", async () => {
    const { renderReport } = await import("../src/report/html");
    const nb = notebook([["code", "boom()"]]);
    nb.metadata.jtlab = { status: "failed", failure: { cell: 1, line: 1, lineText: "boom()", error: "ReferenceError: boom", status: "error" } };
    const html = renderReport(nb, { title: "t" });
    expect(html).toContain("<th>status</th><td>failed at cell 1</td>");
    expect(html).toContain("This run failed in cell 1, line 1: ReferenceError: boom");
  });

  it("the index marks an interrupted notebook and the ones a stop left unstarted", async () => {
    const { renderIndex } = await import("../src/report/index-page");
    const base = { executed: notebook([]), kernelStartupSeconds: 1, runInfo: {}, reportBytes: 1, ipynbPath: "/r/a.ipynb" };
    const html = renderIndex(
      [
        { ...base, ok: true, notebook: "/n/01-a.ipynb", htmlPath: "/r/01-a.html", seconds: 1, failure: null, interrupted: null },
        { ...base, ok: false, notebook: "/n/02-b.ipynb", htmlPath: "/r/02-b.html", seconds: 2, failure: null, interrupted: { signal: "SIGINT", cell: 4 } },
      ],
      { profile: "quick", seconds: 3, outDir: "/r", notRun: ["/n/03-c.ipynb"], stopped: "SIGINT" },
    );
    expect(html).toMatch(/<tr class="interrupted"><td><a href="02-b.html">02-b<\/a><\/td><td>interrupted at cell 4 by SIGINT<\/td>/);
    expect(html).toMatch(/<tr class="not-run"><td>03-c<\/td><td>not run \(the run was stopped by SIGINT\)/);
    expect(html).toContain("This run was stopped by SIGINT: 1 notebook(s) interrupted, 1 not run.");
    expect(html).toContain("0 failed, 1 interrupted");
  });

  it("injects the values JSON cannot spell: NaN, ±Infinity, -0 and an own \"__proto__\" key", () => {
    const code = injectedSource(declaredParams("let a = 0, b = 0, c = 0, d = {};"), { a: NaN, b: -Infinity, c: -0, d: JSON.parse('{"__proto__":{"x":1}}') });
    expect(code).toContain("let a = NaN;\nlet b = -Infinity;\nlet c = -0;\nlet d = {[\"__proto__\"]:{\"x\":1}};\n");
    // JSON values come out as compact JSON, as before.
    expect(injectedSource(declaredParams("let e = 0;"), { e: { k: [1, "two", null, true] } })).toContain('let e = {"k":[1,"two",null,true]};');
  });
});
