// `jtlab bench`: named benchmarks. Each prints its own figures and a ratio against its peer where one exists.
// Speed targets are checked here, never in tests.

export interface BenchOptions {
  /** Free-form name=value options from the command line (e.g. backend=wasm, pairs=8192). */
  params: Record<string, string>;
  log: (line: string) => void;
}

export interface BenchResult {
  name: string;
  /** Figures for the record (JSON-friendly). */
  figures: Record<string, number | string | null>;
  /** Human summary lines. */
  lines: string[];
}

export interface Benchmark {
  name: string;
  help: string;
  /** The -p names it reads: any other is refused, so that a typo is not silently ignored. */
  params: readonly string[];
  run(opts: BenchOptions): Promise<BenchResult>;
}

const benches = new Map<string, Benchmark>();

export function registerBenchmark(b: Benchmark): void {
  benches.set(b.name, b);
}

export function benchmarks(): Benchmark[] {
  return [...benches.values()];
}

/** An integer parameter, `dflt` when absent; anything else than an integer >= min is an error naming it. */
export function intParam(params: Record<string, string>, name: string, dflt: number, min = 1): number {
  const v = params[name] === undefined ? dflt : Number(params[name]);
  if (!(Number.isInteger(v) && v >= min)) throw new Error(`${name} must be an integer >= ${min}, got ${JSON.stringify(params[name])}`);
  return v;
}

export function benchmark(name: string): Benchmark {
  const b = benches.get(name);
  if (!b) throw new Error(`unknown benchmark ${JSON.stringify(name)} (known: ${[...benches.keys()].join(", ")})`);
  return b;
}
