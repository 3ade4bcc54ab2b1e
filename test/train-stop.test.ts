// `jtlab train siamese` stops cleanly: the first Ctrl-C (SIGINT) stops after the current batch, keeps the best weights
// so far and records the run interrupted with the epoch reached (exit 130); a second one stops at once.
import { spawn } from "child_process";
import * as fs from "fs";
import * as path from "path";
import { describe, expect, it } from "vitest";
import { projectRoot } from "../src/data/paths";
import { readRun } from "../src/experiments/registry";
import { tmpDir } from "./helpers";

/** A small, long Siamese training run (many short epochs) in its own registry. */
function startTraining(runs: string): { child: ReturnType<typeof spawn>; stderr: () => string; exit: Promise<number | null> } {
  const args = ["train", "siamese", "-p", "variant=char", "-p", "positives=6000", "-p", "epochs=200", "-p", "patience=200", "-p", "mineShare=0"];
  const child = spawn(process.execPath, [path.join(projectRoot(), "bin", "jtlab.cjs"), ...args], { cwd: projectRoot(), env: { ...process.env, JTLAB_RUNS_DIR: runs } });
  let err = "";
  child.stderr!.on("data", (b: Buffer) => (err += b));
  const exit = new Promise<number | null>((resolve) => child.on("exit", (code) => resolve(code)));
  return { child, stderr: () => err, exit };
}

async function waitFor(test: () => boolean, what: string, seconds = 240): Promise<void> {
  const until = Date.now() + seconds * 1000;
  while (!test()) {
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

describe("stopping jtlab train", () => {
  it("SIGINT stops after the current batch, saves the best weights so far, records the run interrupted (exit 130)", async () => {
    const runs = tmpDir("jtlab-runs-");
    const t = startTraining(runs);
    // Two complete epochs, so that there is a best one to keep.
    await waitFor(() => /epoch 3\/200/.test(t.stderr()), "the third epoch");
    t.child.kill("SIGINT");
    expect(await t.exit).toBe(130);
    expect(t.stderr()).toMatch(/SIGINT: stopping at the next safe point/);
    const [id] = fs.readdirSync(runs);
    const r = readRun(path.join(runs, id));
    expect(r.status).toBe("interrupted");
    expect(r.error).toMatch(/^stopped by SIGINT during epoch \d+ of 200, after batch \d+ of \d+; the best weights so far \(epoch \d+\) saved/);
    expect(r.metrics.training!.history!.length).toBeGreaterThanOrEqual(2);
    expect(Object.keys(r.files ?? {})).toEqual(expect.arrayContaining(["model/weights.bin", "model/model.json", "encoder.json"]));
    // What was kept loads and classifies.
    const { TrainedSiamese } = await import("../src/models/siamese/trained");
    const trained = await TrainedSiamese.load(path.join(runs, id));
    const [p] = await trained.predictor("siamese").predict(["Registered Nurse"], "role");
    expect(typeof p.label).toBe("string");
    expect(t.stderr()).toMatch(new RegExp(`jtlab train: stopped by SIGINT during epoch`));
  }, 300_000);

  it("a second SIGINT stops at once; the run is still recorded interrupted", async () => {
    const runs = tmpDir("jtlab-runs-");
    const t = startTraining(runs);
    await waitFor(() => /epoch 1\/200/.test(t.stderr()), "the first epoch");
    t.child.kill("SIGINT");
    await waitFor(() => /stopping at the next safe point/.test(t.stderr()), "the first SIGINT's message", 30);
    t.child.kill("SIGINT");
    expect(await t.exit).toBe(130);
    const [id] = fs.readdirSync(runs);
    expect(readRun(path.join(runs, id))).toMatchObject({ status: "interrupted" });
  }, 300_000);

  it("a kernel interrupt (Jupyter's stop button) stops a training cell after its batch and records the run interrupted", async () => {
    const runs = tmpDir("jtlab-runs-");
    const { KernelClient } = await import("../src/notebook/kernel");
    const { KERNEL_ENV } = await import("../src/io/kernel-env");
    const kernel = new KernelClient({ env: { [KERNEL_ENV]: "1", JTLAB_RUNS_DIR: runs } });
    await kernel.start();
    try {
      let seen = "";
      const cell = kernel.execute(
        [
          `import { runExperiment } from "./src/experiments/pipeline";`,
          `import { siameseSpec } from "./src/experiments/methods";`,
          `import { siameseRunConfig } from "./src/experiments/configs";`,
          `const cfg = siameseRunConfig("quick", { variant: "char", positives: 6000, epochs: 200, patience: 200, mineShare: 0 });`,
          `await runExperiment(siameseSpec(cfg), { melo: false });`,
        ].join("\n"),
        { onOutput: (o) => (seen += JSON.stringify(o)) },
      );
      await waitFor(() => /epoch 3\/200/.test(seen), "the third epoch's progress bar");
      kernel.interrupt();
      await cell;
      const readOne = (): ReturnType<typeof readRun> => readRun(path.join(runs, fs.readdirSync(runs)[0]));
      // tslab answers the interrupt at once; the training loop stops at the end of its batch.
      await waitFor(() => readOne().status !== "running", "the run to be recorded", 60);
      const r = readOne();
      expect(r.status).toBe("interrupted");
      expect(r.error).toMatch(/^stopped by SIGINT during epoch \d+ of 200, after batch \d+ of \d+; the best weights so far \(epoch \d+\) saved/);
      // The kernel lives on for the next cell.
      expect((await kernel.execute("1 + 1")).status).toBe("ok");
    } finally {
      await kernel.shutdown();
    }
  }, 300_000);
});
