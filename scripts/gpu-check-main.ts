// The GPU check's program (bundled by scripts/gpu-check.sh for a machine without Node.js or internet): trains the
// Siamese char-CNN for a fixed number of pairs on WebGPU and on wasm and prints pairs/s for both and the adapter.
import * as os from "os";
import { timeTraining } from "../src/bench/siamese-train";
import { initBackend } from "../src/runtime/backend";

function arg(name: string, dflt: number): number {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? Number(process.argv[i + 1]) : dflt;
}

async function main(): Promise<void> {
  const pairs = arg("pairs", 16384);
  const batch = arg("batch", 256);
  const repeats = arg("repeats", 2);
  console.log(`node ${process.version}, ${os.cpus().length} CPUs (${os.cpus()[0]?.model ?? "?"}), pairs ${pairs}, batch ${batch}`);
  const results: Record<string, string> = {};
  for (const backend of ["webgpu", "wasm"]) {
    try {
      const info = await initBackend({ backend, log: (l) => console.log(l) });
      const t = await timeTraining(pairs, batch, repeats, (r) => console.log(`  ${backend}: ${r.toFixed(0)} pairs/s`));
      const best = Math.max(...t.pairsPerSecond);
      results[backend] = `${best.toFixed(0)} pairs/s${info.adapter ? ` on ${info.adapter}${info.software ? " (software adapter)" : " (GPU)"}` : ""}`;
    } catch (e) {
      results[backend] = `failed: ${(e as Error).message}`;
    }
  }
  console.log("\nRESULT");
  for (const [k, v] of Object.entries(results)) console.log(`${k.padEnd(7)} ${v}`);
}

main().then(
  () => process.exit(0),
  (e) => {
    console.error(e);
    process.exit(1);
  },
);
