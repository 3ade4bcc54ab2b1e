// The iopub → nbformat logic, driven with canned message sequences as nbclient tests its client.
import * as fs from "fs";
import * as path from "path";
import { describe, expect, it } from "vitest";
import { projectRoot } from "../src/data/paths";
import { cellMapper, cleanTrace, IopubMessage, Output, OutputCollector, topLevelNames } from "../src/notebook/messages";

const PARENT = { msg_id: "exec-1", msg_type: "execute_request" };

function msg(msg_type: string, content: Record<string, unknown>): IopubMessage & { parent_header: typeof PARENT } {
  return { header: { msg_type }, content, parent_header: PARENT };
}

const stream = (name: "stdout" | "stderr", text: string) => msg("stream", { name, text });
const display = (text: string, id?: string) =>
  msg("display_data", { data: { "text/plain": text }, metadata: {}, ...(id ? { transient: { display_id: id } } : {}) });
const update = (text: string, id: string) => msg("update_display_data", { data: { "text/plain": text }, metadata: {}, transient: { display_id: id } });
const clear = (wait: boolean) => msg("clear_output", { wait });
const status = (execution_state: string) => msg("status", { execution_state });

/** Feeds a sequence framed as the kernel frames a cell (busy … idle) and returns the outputs. */
function collect(messages: IopubMessage[], onOutput?: (o: Output) => void): readonly Output[] {
  const c = new OutputCollector(onOutput);
  for (const m of [status("busy"), msg("execute_input", { code: "x", execution_count: 1 }), ...messages, status("idle")]) c.handle(m);
  return c.outputs;
}

const shown = (text: string): Output => ({ output_type: "display_data", data: { "text/plain": text }, metadata: {} });

describe("streams", () => {
  it("merges consecutive writes to one stream", () => {
    expect(collect([stream("stdout", "a"), stream("stdout", "b\n"), stream("stdout", "c")])).toEqual([
      { output_type: "stream", name: "stdout", text: "ab\nc" },
    ]);
  });

  it("does not merge across stdout and stderr, nor across another output", () => {
    expect(collect([stream("stdout", "1"), stream("stderr", "2"), stream("stdout", "3"), display("d"), stream("stdout", "4")])).toEqual([
      { output_type: "stream", name: "stdout", text: "1" },
      { output_type: "stream", name: "stderr", text: "2" },
      { output_type: "stream", name: "stdout", text: "3" },
      shown("d"),
      { output_type: "stream", name: "stdout", text: "4" },
    ]);
  });

  it("passes each chunk, not the merged text, to onOutput", () => {
    const seen: Output[] = [];
    collect([stream("stdout", "a"), stream("stdout", "b")], (o) => seen.push(o));
    expect(seen).toEqual([
      { output_type: "stream", name: "stdout", text: "a" },
      { output_type: "stream", name: "stdout", text: "b" },
    ]);
  });
});

describe("displays and their updates", () => {
  it("keeps a display without an id, and drops the transient part", () => {
    expect(collect([display("plain"), display("with id", "d1")])).toEqual([shown("plain"), shown("with id")]);
  });

  it("replaces the content of a display when its id is updated", () => {
    expect(collect([stream("stdout", "before\n"), display("v1", "d1"), stream("stdout", "after\n"), update("v2", "d1")])).toEqual([
      { output_type: "stream", name: "stdout", text: "before\n" },
      shown("v2"),
      { output_type: "stream", name: "stdout", text: "after\n" },
    ]);
  });

  it("updates every output that shares a display id", () => {
    expect(collect([display("a1", "a"), display("b1", "b"), display("a1", "a"), update("a2", "a")])).toEqual([
      shown("a2"),
      shown("b1"),
      shown("a2"),
    ]);
  });

  it("refreshes earlier outputs when a display reuses an id", () => {
    expect(collect([display("v1", "d"), display("v2", "d")])).toEqual([shown("v2"), shown("v2")]);
  });

  it("changes nothing for an update of an unknown id", () => {
    expect(collect([display("v1", "d1"), update("x", "nope")])).toEqual([shown("v1")]);
    expect(collect([update("x", "nope")])).toEqual([]);
  });

  it("updates an execute_result that carries a display id, keeping its count", () => {
    const result = msg("execute_result", { data: { "text/plain": "1" }, metadata: {}, execution_count: 3, transient: { display_id: "r" } });
    expect(collect([result, update("2", "r")])).toEqual([
      { output_type: "execute_result", data: { "text/plain": "2" }, metadata: {}, execution_count: 3 },
    ]);
  });

  it("passes updates to onOutput as they arrive", () => {
    const seen: Output[] = [];
    collect([display("v1", "d"), update("v2", "d")], (o) => seen.push(o));
    expect(seen).toEqual([shown("v1"), shown("v2")]);
  });
});

describe("clear_output", () => {
  it("clears at once with wait=false", () => {
    expect(collect([stream("stdout", "old"), display("x"), clear(false)])).toEqual([]);
    expect(collect([stream("stdout", "old"), clear(false), stream("stdout", "new")])).toEqual([
      { output_type: "stream", name: "stdout", text: "new" },
    ]);
  });

  it("with wait=true, keeps the outputs until the next one arrives", () => {
    expect(collect([stream("stdout", "old"), clear(true)])).toEqual([{ output_type: "stream", name: "stdout", text: "old" }]);
  });

  it("with wait=true, clears before the next stream (which does not merge into the cleared one)", () => {
    expect(collect([stream("stdout", "old"), clear(true), stream("stdout", "new")])).toEqual([
      { output_type: "stream", name: "stdout", text: "new" },
    ]);
  });

  it("with wait=true, clears before the next display", () => {
    expect(collect([display("frame 1"), clear(true), display("frame 2"), clear(true), display("frame 3")])).toEqual([shown("frame 3")]);
  });

  it("with wait=true, is not triggered by an update, which is not a new output", () => {
    expect(collect([display("v1", "d"), clear(true), update("v2", "d")])).toEqual([shown("v2")]);
  });

  it("forgets display ids shown before the clear", () => {
    // The clear removed the display: its update must neither overwrite the output now at its old position…
    expect(collect([display("v1", "d"), clear(false), stream("stdout", "new"), update("v2", "d")])).toEqual([
      { output_type: "stream", name: "stdout", text: "new" },
    ]);
    // …nor write past the end of the outputs.
    expect(collect([stream("stdout", "s"), display("v1", "d"), clear(false), update("v2", "d")])).toEqual([]);
    // The same after a deferred clear, once it has happened.
    expect(collect([display("v1", "d"), clear(true), display("other"), update("v2", "d")])).toEqual([shown("other")]);
  });

  it("lets an id shown again after the clear be updated at its new position", () => {
    expect(collect([stream("stdout", "a"), display("v1", "d"), clear(false), display("v2", "d"), update("v3", "d")])).toEqual([shown("v3")]);
  });
});

describe("results and errors", () => {
  it("keeps an execute_result", () => {
    expect(collect([msg("execute_result", { data: { "text/plain": "42" }, metadata: {}, execution_count: 1 })])).toEqual([
      { output_type: "execute_result", data: { "text/plain": "42" }, metadata: {}, execution_count: 1 },
    ]);
  });

  it("keeps an error after the cell's streams", () => {
    const error = msg("error", { ename: "TypeError", evalue: "x is not a function", traceback: ["TypeError: x is not a function", "    at <cell>"] });
    expect(collect([stream("stdout", "started\n"), error])).toEqual([
      { output_type: "stream", name: "stdout", text: "started\n" },
      { output_type: "error", ename: "TypeError", evalue: "x is not a function", traceback: ["TypeError: x is not a function", "    at <cell>"] },
    ]);
  });
});

describe("a progress bar", () => {
  it("ends as one output with the final content", () => {
    const bar = (i: number): string => `[${"#".repeat(i)}${" ".repeat(20 - i)}] ${i * 5}%`;
    const updates = Array.from({ length: 19 }, (_, i) => update(bar(i + 1), "progress"));
    const outputs = collect([display(bar(0), "progress"), ...updates, update("done: 20/20", "progress")]);
    expect(outputs).toEqual([shown("done: 20/20")]);
  });

  it("that redraws itself with clear_output(wait=true) also ends as one output", () => {
    const frames = Array.from({ length: 10 }, (_, i) => [clear(true), display(`${(i + 1) * 10}%`)]).flat();
    expect(collect([display("0%"), ...frames])).toEqual([shown("100%")]);
  });
});

// What tslab printed on stderr for real failing cells (captured from its kernel): its compiled code's lines, its own
// and node's frames. The cells' sources are the ones that produced them.
const EARLIER = 'import * as fs from "fs";\n// comment\n\ntype T = { a: number };\nconst x: T = { a: 1 };\nlet y = 2;';
const SYNC_CELL =
  'interface Q { b: string }\n\nconst z = x.a + y; // uses prev\nfunction f(n: number): number {\n  if (n > 1) {\n    throw new Error("boom " + n);\n  }\n  return n;\n}\nf(z + 5);';
const SYNC_STDERR =
  'evalmachine.<anonymous>:7\n        throw new Error("boom " + n);\n        ^\n\nError: boom 8\n    at f (evalmachine.<anonymous>:7:15)\n' +
  "    at evalmachine.<anonymous>:12:22\n    at evalmachine.<anonymous>:14:3\n    at sigintHandlersWrap (node:vm:280:12)\n" +
  "    at Script.runInThisContext (node:vm:135:14)\n    at Object.runInThisContext (node:vm:317:38)\n" +
  "    at Object.execute (/p/node_modules/tslab/dist/executor.js:160:38)\n" +
  "    at JupyterHandlerImpl.handleExecuteImpl (/p/node_modules/tslab/dist/jupyter.js:250:38)\n" +
  "    at /p/node_modules/tslab/dist/jupyter.js:208:57\n    at async JupyterHandlerImpl.handleExecute (/p/node_modules/tslab/dist/jupyter.js:208:21)\n";
const ASYNC_CELL = 'import { escapeHtml } from "./src/runtime/display";\nimport { frame } from "./src/runtime/frames";\nconst n = 1;\nawait Promise.resolve();\nframe([]);';
const ASYNC_STDERR =
  "Error: frame: no rows\n    at frame (ROOT/src/runtime/frames.js:11:15)\n    at evalmachine.<anonymous>:10:41\n" +
  "    at async Object.execute (/p/node_modules/tslab/dist/executor.js:173:17)\n";

describe("a failed cell's traceback, in the cell's own lines", () => {
  const earlier = (): Set<string> => {
    const n = topLevelNames(EARLIER);
    return new Set([...n.values, ...n.imports]);
  };

  it("maps tslab's compiled lines back to the cell, shows the cell's line for Node's snippet, and hides internals", () => {
    const t = cleanTrace(SYNC_STDERR, { cell: 3, code: SYNC_CELL, mapper: cellMapper(SYNC_CELL, earlier()) });
    expect(t.at).toEqual({ line: 6, column: 11 });
    expect(t.text).toBe(
      'cell 3, line 6\n    throw new Error("boom " + n);\n          ^\n\nError: boom 8\n    at f (cell 3:6:11)\n    at cell 3:10:1\n',
    );
  });

  it("keeps tslab's and node's frames when verbose", () => {
    const t = cleanTrace(SYNC_STDERR, { cell: 3, code: SYNC_CELL, mapper: cellMapper(SYNC_CELL, earlier()), verbose: true });
    expect(t.text).toContain("    at f (cell 3:6:11)\n");
    expect(t.text).toContain("node_modules/tslab/dist/executor.js:160:38");
    expect(t.text).toContain("(node:vm:280:12)");
    // The wrapper's own frame (no line of the cell) is shown as it was.
    expect(t.text).toContain("    at evalmachine.<anonymous>:14:3\n");
  });

  it("maps an error after an await, and a frame of a src module tslab compiled to its .ts line", () => {
    const root = projectRoot();
    const t = cleanTrace(ASYNC_STDERR.replace("ROOT", root), { cell: 4, code: ASYNC_CELL, mapper: cellMapper(ASYNC_CELL), root });
    expect(t.at).toEqual({ line: 5, column: 6 });
    const tsLine = fs.readFileSync(path.join(root, "src/runtime/frames.ts"), "utf8").split("\n").findIndex((l) => l.includes('throw new Error("frame: no rows")')) + 1;
    expect(t.text).toBe(`Error: frame: no rows\n    at frame (src/runtime/frames.ts:${tsLine}:32)\n    at cell 4:5:6\n`);
  });

  it("maps the last expression tslab rewrote into an assignment", () => {
    const code = "const obj: any = null;\nobj.prop.x = 1;";
    const stderr =
      "evalmachine.<anonymous>:5\nexports.tsLastExpr = obj.prop.x = 1;\n                         ^\n\n" +
      "TypeError: Cannot read properties of null (reading 'prop')\n    at evalmachine.<anonymous>:5:26\n    at evalmachine.<anonymous>:7:3\n";
    const t = cleanTrace(stderr, { cell: 2, code, mapper: cellMapper(code) });
    expect(t.at).toEqual({ line: 2, column: 5 });
    expect(t.text).toBe("cell 2, line 2\nobj.prop.x = 1;\n    ^\n\nTypeError: Cannot read properties of null (reading 'prop')\n    at cell 2:2:5\n");
  });

  it("leaves text that is not a traceback alone, and frames it cannot place as they are", () => {
    const t = cleanTrace("warning: slow\n    at elsewhere (/opt/lib/x.js:1:2)\n", { cell: 1, mapper: null });
    expect(t).toEqual({ text: "warning: slow\n    at elsewhere (/opt/lib/x.js:1:2)\n", at: null });
  });

  it("finds the names a cell declares at its top level", () => {
    expect(topLevelNames('import a, { b, type C } from "m";\nimport * as ns from "n";\nconst { d, e: [f] } = g;\nfunction h() {}\nclass K {}\ninterface I {}\ntype U = 1;')).toEqual({
      values: ["d", "f", "h", "K"],
      types: ["I", "U"],
      imports: ["a", "b", "ns"],
    });
  });
});
