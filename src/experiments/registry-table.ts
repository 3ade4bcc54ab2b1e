// The experiment registry as one long table for SQL (`jtlab exp export`): a row per run and recorded figure, with the
// run's identity (method, kind, status, start, duration, seed, code version, backend) repeated on each row, and the
// figure's dotted name split into protocol, split, category type and measure where it has them. Long rather than
// wide so that every run fits one schema however many protocols and figures it recorded:
//   SELECT method, protocol, value FROM 'runs.parquet' WHERE split = 'test' AND category = 'role' AND measure = 'macroF1'
import type { ParquetColumn } from "../io/parquet";
import { flatten } from "./compare";
import type { RunRecord } from "./registry";

export interface RegistryRow {
  run_id: string;
  method: string;
  kind: string;
  status: string;
  started: string;
  seconds: number | null;
  seed: number | null;
  commit: string | null;
  backend: string | null;
  /** The figure's full dotted name in run.json's metrics, e.g. protocols.neighbours.test.role.macroF1. */
  metric: string;
  protocol: string | null;
  split: string | null;
  category: string | null;
  measure: string;
  value: number;
}

export const REGISTRY_COLUMNS: ParquetColumn[] = [
  { name: "run_id", type: "VARCHAR" },
  { name: "method", type: "VARCHAR" },
  { name: "kind", type: "VARCHAR" },
  { name: "status", type: "VARCHAR" },
  { name: "started", type: "TIMESTAMP" },
  { name: "seconds", type: "DOUBLE" },
  { name: "seed", type: "BIGINT" },
  { name: "commit", type: "VARCHAR" },
  { name: "backend", type: "VARCHAR" },
  { name: "metric", type: "VARCHAR" },
  { name: "protocol", type: "VARCHAR" },
  { name: "split", type: "VARCHAR" },
  { name: "category", type: "VARCHAR" },
  { name: "measure", type: "VARCHAR" },
  { name: "value", type: "DOUBLE" },
];

const SPLITS = new Set(["dev", "test", "messy", "melo", "devRanking", "meloFusion", "training", "extra"]);
const CATEGORIES = new Set(["role", "level", "industry"]);

/** protocols.<p>.<split>.<category>.<measure>, <split>.<category>.<measure> (the run's own protocol), <split>.<measure>. */
function parts(key: string, own: string | null): Pick<RegistryRow, "protocol" | "split" | "category" | "measure"> {
  let k = key.split(".");
  let protocol = own;
  if (k[0] === "protocols" && k.length > 2) {
    protocol = k[1];
    k = k.slice(2);
  }
  const split = SPLITS.has(k[0]) ? k[0] : null;
  if (split) k = k.slice(1);
  const category = CATEGORIES.has(k[0]) ? k[0] : null;
  if (category) k = k.slice(1);
  return { protocol: split === "dev" || split === "test" || split === "messy" ? protocol : null, split, category, measure: k.join(".") };
}

export function registryRows(runs: readonly RunRecord[]): RegistryRow[] {
  const out: RegistryRow[] = [];
  for (const r of runs) {
    const own = r.metrics.protocol ?? (r.metrics.test ? "representatives" : null);
    for (const [metric, value] of Object.entries(flatten(r.metrics as unknown as Record<string, unknown>))) {
      if (typeof value !== "number" || !Number.isFinite(value)) continue;
      out.push({
        run_id: r.id,
        method: r.method,
        kind: r.kind,
        status: r.status,
        started: r.started,
        seconds: r.seconds ?? null,
        seed: typeof r.seed === "number" ? r.seed : null,
        commit: r.git?.commit ?? null,
        backend: r.backend ?? null,
        metric,
        ...parts(metric, own),
        value,
      });
    }
  }
  return out;
}
