// `-p name=value` parameters, typed from their text as papermill does: number, boolean, JSON, else string.
import { ParamValue } from "../core/types";
import { UsageError } from "./args";

export function typedValue(text: string): ParamValue {
  const t = text.trim();
  if (t === "true") return true;
  if (t === "false") return false;
  if (t === "null") return null;
  if (/^[-+]?(\d+\.?\d*|\.\d+)(e[-+]?\d+)?$/i.test(t)) return Number(t);
  if (/^[[{"]/.test(t)) {
    try {
      return JSON.parse(t) as ParamValue;
    } catch {
      return text;
    }
  }
  return text;
}

export function parseParams(items: string[]): Record<string, ParamValue> {
  const out: Record<string, ParamValue> = {};
  for (const item of items) {
    const eq = item.indexOf("=");
    if (eq <= 0) throw new UsageError(`-p expects name=value, got ${JSON.stringify(item)}`);
    const name = item.slice(0, eq).trim();
    if (!/^[A-Za-z_$][\w$]*$/.test(name)) throw new UsageError(`-p: ${JSON.stringify(name)} is not a valid parameter name`);
    out[name] = typedValue(item.slice(eq + 1));
  }
  return out;
}
