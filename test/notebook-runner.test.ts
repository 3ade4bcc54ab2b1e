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
    expect(() => injectedSource(declaredParams("const n = 1;"), { m: 2 })).toThrow(/unknown parameter m; this notebook's parameters: n/);
  });
});

describe("locating a failure in a cell", () => {
  it("reads tslab's compile diagnostics", () => {
    expect(locateFailure("const a = 1;\nconst b = a +\n  nope;", "3:3 - Cannot find name 'nope'.\n")).toEqual({
      line: 3,
      lineText: "nope;",
      error: "Cannot find name 'nope'.",
    });
  });
  it("matches the source line Node prints for a runtime error", () => {
    const err = 'evalmachine.<anonymous>:4\n    throw new Error("boom");\n    ^\n\nError: boom\n    at f (evalmachine.<anonymous>:4:11)\n';
    expect(locateFailure('function f() {\n  throw new Error("boom");\n}\nf();', err)).toEqual({ line: 2, lineText: 'throw new Error("boom");', error: "Error: boom" });
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
    expect(r.stderr).toMatch(/unknown parameter m; this notebook's parameters: n/);
    expect(fs.existsSync(path.join(dir, "o2", "p2.html"))).toBe(false);
  });

  it("stops at the first failing cell, names it and the line, and exits non-zero", () => {
    const src = write(
      dir,
      "fail.ipynb",
      notebook([
        ["md", "intro"],
        ["code", "const a = 1;"],
        ["code", 'function boom(): never {\n  throw new Error("kaput");\n}\nboom();'],
        ["code", 'console.log("never runs");'],
      ]),
    );
    const out = path.join(dir, "o3");
    const r = runCli(["run", src, "--out", out, "--quiet"]);
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/error in cell 3, line 2 \(throw new Error\("kaput"\);\): Error: kaput/);
    const nb = readNotebook(path.join(out, "fail.ipynb"));
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
