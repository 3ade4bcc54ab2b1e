// Papermill's convention for TypeScript notebooks: the cell tagged `parameters` declares defaults; a run's
// values go into a new cell tagged `injected-parameters` placed right after it. Each injected declaration keeps
// the type annotation of its default, so a value of the wrong type fails the cell's type check. A value is written
// as the TypeScript literal that evaluates to it: JSON for JSON values, and NaN, Infinity, -0, undefined and
// "__proto__" keys (which JSON text would turn into a prototype) spelt so that they survive.
import { ParamValue } from "../core/types";
import { suggest } from "../util/suggest";
import { Cell, Notebook, sourceText, tags, toLines } from "./nbformat";

export interface DeclaredParam {
  name: string;
  /** The declared type annotation, if any ("number", '"quick" | "full"'). */
  type: string | null;
  /** The default's source text. */
  initializer: string | null;
}

/** Top-level variable declarations of a parameters cell, found with tslab's own TypeScript parser. */
export function declaredParams(code: string): DeclaredParam[] {
  // eslint-disable-next-line @typescript-eslint/no-var-requires
  const ts = require("@tslab/typescript-for-tslab") as typeof import("typescript");
  const sf = ts.createSourceFile("parameters.ts", code, ts.ScriptTarget.ES2022, true);
  const out: DeclaredParam[] = [];
  for (const stmt of sf.statements) {
    if (!ts.isVariableStatement(stmt)) continue;
    for (const d of stmt.declarationList.declarations) {
      if (!ts.isIdentifier(d.name)) continue;
      out.push({ name: d.name.text, type: d.type ? d.type.getText(sf) : null, initializer: d.initializer ? d.initializer.getText(sf) : null });
    }
  }
  return out;
}

export function parametersCellIndex(nb: Notebook): number {
  return nb.cells.findIndex((c) => c.cell_type === "code" && tags(c).includes("parameters"));
}

/** Values nested deeper than this are refused (the kernel's TypeScript would have to compile them). */
export const MAX_PARAM_DEPTH = 100;

/** The TypeScript source of a literal that evaluates to `value` (a parameter's value); clear errors otherwise. */
export function valueLiteral(value: unknown, name = "value", depth = 0): string {
  if (depth > MAX_PARAM_DEPTH) throw new Error(`parameter ${name}: the value is nested more than ${MAX_PARAM_DEPTH} levels deep`);
  if (value === null) return "null";
  switch (typeof value) {
    case "string":
      return JSON.stringify(value);
    case "boolean":
      return String(value);
    case "undefined":
      return "undefined";
    case "number":
      if (Number.isNaN(value)) return "NaN";
      if (Object.is(value, -0)) return "-0";
      // String() gives Infinity, -Infinity and every finite double in a form that reads back exactly.
      return String(value);
    case "object": {
      if (Array.isArray(value)) return `[${Array.from(value, (v) => valueLiteral(v, name, depth + 1)).join(",")}]`;
      const proto = Object.getPrototypeOf(value);
      if (proto !== Object.prototype && proto !== null) throw new Error(`parameter ${name}: a ${proto?.constructor?.name ?? "non-plain"} object cannot be a parameter value`);
      const entries = Object.keys(value).map((k) => {
        // In an object literal `"__proto__": v` sets the prototype; a computed key makes it an own property.
        const key = k === "__proto__" ? '["__proto__"]' : JSON.stringify(k);
        return `${key}:${valueLiteral((value as Record<string, unknown>)[k], name, depth + 1)}`;
      });
      return `{${entries.join(",")}}`;
    }
    default:
      throw new Error(`parameter ${name}: a ${typeof value} cannot be a parameter value`);
  }
}

/** The injected cell's source for the given values. Unknown names are refused, naming the known ones. */
export function injectedSource(declared: DeclaredParam[], values: Record<string, ParamValue>): string {
  const byName = new Map(declared.map((d) => [d.name, d]));
  const unknown = Object.keys(values).filter((k) => !byName.has(k));
  if (unknown.length) {
    const known = declared.map((d) => d.name).join(", ") || "(none: the notebook has no cell tagged parameters)";
    const names = declared.map((d) => d.name);
    const named = unknown.map((u) => {
      const s = suggest(u, names);
      return s === null ? u : `${u} (did you mean ${s}?)`;
    });
    throw new Error(`unknown parameter${unknown.length > 1 ? "s" : ""} ${named.join(", ")}; this notebook's parameters: ${known}`);
  }
  const lines = ["// Parameters (injected by jtlab run)"];
  for (const [name, value] of Object.entries(values)) {
    const d = byName.get(name)!;
    lines.push(`let ${name}${d.type ? `: ${d.type}` : ""} = ${valueLiteral(value, name)};`);
  }
  return lines.join("\n") + "\n";
}

/** A copy of the notebook with the injected cell after the parameters cell (replacing an earlier injection). */
export function parameterize(nb: Notebook, values: Record<string, ParamValue>): Notebook {
  const copy: Notebook = JSON.parse(JSON.stringify(nb));
  copy.cells = copy.cells.filter((c) => !tags(c).includes("injected-parameters"));
  const p = parametersCellIndex(copy);
  const declared = p >= 0 ? declaredParams(sourceText(copy.cells[p])) : [];
  const source = injectedSource(declared, values);
  if (Object.keys(values).length > 0) {
    const cell: Cell = { cell_type: "code", source: toLines(source), metadata: { tags: ["injected-parameters"] }, outputs: [], execution_count: null };
    copy.cells.splice(p + 1, 0, cell);
  }
  copy.metadata.jtlab = { ...(copy.metadata.jtlab ?? {}), parameters: values };
  return copy;
}
