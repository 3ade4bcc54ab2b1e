// Notebooks in nbformat 4: reading with clear errors, and the small helpers the runner and the hygiene test use.
import * as fs from "fs";
import { Output } from "./messages";

export interface Cell {
  cell_type: "code" | "markdown" | "raw";
  source: string | string[];
  metadata: Record<string, any>;
  outputs?: Output[];
  execution_count?: number | null;
  id?: string;
}

export interface Notebook {
  nbformat: number;
  nbformat_minor: number;
  metadata: Record<string, any>;
  cells: Cell[];
}

export function sourceText(cell: Cell): string {
  return Array.isArray(cell.source) ? cell.source.join("") : cell.source;
}

/** nbformat stores multi-line strings as lists of lines, each keeping its "\n". */
export function toLines(text: string): string[] {
  const lines = text.split(/(?<=\n)/);
  return lines.length === 1 && lines[0] === "" ? [] : lines;
}

export function readNotebook(file: string): Notebook {
  let text: string;
  try {
    text = fs.readFileSync(file, "utf8");
  } catch (e) {
    throw new Error(`${file}: cannot be read (${(e as NodeJS.ErrnoException).code ?? String(e)})`);
  }
  let nb: Notebook;
  try {
    nb = JSON.parse(text);
  } catch (e) {
    throw new Error(`${file}: not a notebook (invalid JSON: ${(e as Error).message})`);
  }
  if (typeof nb !== "object" || nb === null || !Array.isArray(nb.cells)) throw new Error(`${file}: not a notebook (no "cells" list)`);
  if (nb.nbformat !== 4) throw new Error(`${file}: nbformat ${nb.nbformat} is not supported (expected 4)`);
  nb.cells.forEach((c, i) => {
    if (!["code", "markdown", "raw"].includes(c.cell_type)) throw new Error(`${file}: cell ${i + 1} has unknown type ${JSON.stringify(c.cell_type)}`);
    c.metadata ??= {};
  });
  return nb;
}

export function tags(cell: Cell): string[] {
  return Array.isArray(cell.metadata?.tags) ? cell.metadata.tags : [];
}

/** Problems that make a committed notebook unclean: outputs or execution counts. */
export function hygieneProblems(nb: Notebook): string[] {
  const out: string[] = [];
  nb.cells.forEach((c, i) => {
    if (c.cell_type !== "code") return;
    if ((c.outputs ?? []).length > 0) out.push(`cell ${i + 1} has outputs`);
    if (c.execution_count !== null && c.execution_count !== undefined) out.push(`cell ${i + 1} has an execution count`);
  });
  return out;
}

export function writeNotebook(file: string, nb: Notebook): void {
  fs.writeFileSync(file, JSON.stringify(nb, null, 1) + "\n");
}
