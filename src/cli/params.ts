// `-p name=value` parameters, typed from their text as papermill does: number, boolean, JSON, else string.
import { ParamValue } from "../core/types";
import { UsageError } from "./args";

export function typedValue(text: string): ParamValue {
  const t = text.trim();
  if (t === "true") return true;
  if (t === "false") return false;
  if (t === "null") return null;
  // One way to match each digit (no nested optional runs), so a long value is matched in linear time.
  if (/^[-+]?(\d+(\.\d*)?|\.\d+)(e[-+]?\d+)?$/i.test(t)) return Number(t);
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
  // No prototype: a parameter named like one of Object's own properties ("__proto__") is kept as a parameter.
  const out: Record<string, ParamValue> = Object.create(null);
  for (const item of items) {
    const eq = item.indexOf("=");
    if (eq <= 0) throw new UsageError(`-p expects name=value, got ${JSON.stringify(item)}`);
    const name = item.slice(0, eq).trim();
    if (!/^[A-Za-z_$][\w$]*$/.test(name)) throw new UsageError(`-p: ${JSON.stringify(name)} is not a valid parameter name`);
    const value = typedValue(item.slice(eq + 1));
    if (typeof value === "number" && !Number.isFinite(value)) throw new UsageError(`-p ${name}: ${item.slice(eq + 1).trim()} is too large for a number`);
    out[name] = value;
  }
  return out;
}
