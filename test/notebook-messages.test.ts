// The iopub → nbformat logic, driven with canned message sequences as nbclient tests its client.
import { describe, expect, it } from "vitest";
import { IopubMessage, Output, OutputCollector } from "../src/notebook/messages";

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
