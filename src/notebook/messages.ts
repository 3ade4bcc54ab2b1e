// Turns a cell's iopub messages into its nbformat 4 outputs, with the semantics of Jupyter's own clients
// (nbclient, JupyterLab): streams coalesce, displays with a display_id can be updated in place, and
// clear_output may be deferred to the next output. Pure, so that it can be tested with canned messages.

/** A notebook output in nbformat 4 shape. */
export type Output =
  | { output_type: "stream"; name: "stdout" | "stderr"; text: string }
  | { output_type: "display_data"; data: Record<string, unknown>; metadata: Record<string, unknown>; transient?: { display_id?: string } }
  | { output_type: "execute_result"; data: Record<string, unknown>; metadata: Record<string, unknown>; execution_count: number | null }
  | { output_type: "error"; ename: string; evalue: string; traceback: string[] };

/** The part of a Jupyter message the collector reads. */
export interface IopubMessage {
  header: { msg_type: string };
  content: any;
}

function displayIdOf(content: any): string | undefined {
  const id = content?.transient?.display_id;
  return typeof id === "string" && id !== "" ? id : undefined;
}

/** Collects one cell's outputs from its iopub messages, fed in arrival order. */
export class OutputCollector {
  private readonly list: Output[] = [];
  /** display_id → positions in `list` of the outputs showing it. */
  private readonly displays = new Map<string, number[]>();
  /** Set by clear_output(wait=true): the clear happens when the next output arrives, so nothing flickers. */
  private clearPending = false;

  /** `onOutput` sees each output as it arrives: a stream chunk (not the merged text), a display, an update. */
  constructor(private readonly onOutput?: (o: Output) => void) {}

  /** The outputs so far, as the saved notebook will hold them. */
  get outputs(): readonly Output[] {
    return this.list;
  }

  /** Takes one iopub message; messages that carry no output (status, execute_input, comm_*) are ignored. */
  handle(m: IopubMessage): void {
    const c = m.content ?? {};
    switch (m.header.msg_type) {
      case "stream": {
        this.applyPendingClear();
        const last = this.list[this.list.length - 1];
        // Consecutive writes to one stream form one output, as Jupyter shows them.
        if (last && last.output_type === "stream" && last.name === c.name) last.text += c.text;
        else this.list.push({ output_type: "stream", name: c.name, text: c.text });
        this.onOutput?.({ output_type: "stream", name: c.name, text: c.text });
        break;
      }
      case "display_data":
        this.add({ output_type: "display_data", data: c.data, metadata: c.metadata ?? {} }, displayIdOf(c));
        break;
      case "execute_result":
        this.add(
          { output_type: "execute_result", data: c.data, metadata: c.metadata ?? {}, execution_count: c.execution_count ?? null },
          displayIdOf(c),
        );
        break;
      case "error":
        this.add({ output_type: "error", ename: c.ename, evalue: c.evalue, traceback: c.traceback ?? [] }, undefined);
        break;
      case "update_display_data": {
        // Not an output of its own: it changes the displays already shown, and so does not trigger a deferred clear.
        const id = displayIdOf(c);
        if (id !== undefined) this.updateDisplay(id, c.data, c.metadata ?? {});
        this.onOutput?.({ output_type: "display_data", data: c.data, metadata: c.metadata ?? {} });
        break;
      }
      case "clear_output":
        if (c.wait) this.clearPending = true;
        else this.clear();
        break;
    }
  }

  private add(o: Output, displayId: string | undefined): void {
    // A new display with a known id also refreshes the earlier outputs of that id, as nbclient does.
    if (displayId !== undefined && o.output_type !== "error" && o.output_type !== "stream") {
      this.updateDisplay(displayId, o.data, o.metadata);
    }
    this.applyPendingClear();
    if (displayId !== undefined) {
      const at = this.displays.get(displayId) ?? [];
      at.push(this.list.length);
      this.displays.set(displayId, at);
    }
    this.list.push(o);
    this.onOutput?.(o);
  }

  private updateDisplay(id: string, data: Record<string, unknown>, metadata: Record<string, unknown>): void {
    // An id never shown in this cell (or shown only before a clear) has nothing to update.
    for (const k of this.displays.get(id) ?? []) {
      const old = this.list[k];
      if (old.output_type === "display_data" || old.output_type === "execute_result") this.list[k] = { ...old, data, metadata };
    }
  }

  private applyPendingClear(): void {
    if (!this.clearPending) return;
    this.clearPending = false;
    this.clear();
  }

  private clear(): void {
    this.list.length = 0;
    // The positions recorded for display ids refer to outputs that are gone.
    this.displays.clear();
    this.clearPending = false;
  }
}
