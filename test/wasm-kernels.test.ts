// The wasm kernels are committed so that no user needs the AssemblyScript compiler; these tests make sure each
// committed binary is what its source builds to, so that an edit to kernels-as/ without a rebuild fails here.
import { execFileSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { describe, expect, it } from "vitest";

const root = path.resolve(__dirname, "..");
const kernels = [
  { script: "scripts/build-kernels.sh", wasm: "src/models/siamese/kernels/jtlab-kernels.wasm" },
  { script: "scripts/build-lda-kernel.sh", wasm: "src/models/lda/gibbs.wasm" },
  { script: "scripts/build-umap-kernels.sh", wasm: "src/viz/umap-kernels.wasm" },
];

describe("committed wasm kernels", () => {
  for (const k of kernels) {
    it(`${k.wasm} is a fresh build of its AssemblyScript source`, () => {
      const out = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "jtlab-wasm-")), "fresh.wasm");
      execFileSync("bash", [k.script, out], { cwd: root, stdio: "pipe" });
      const fresh = fs.readFileSync(out);
      const committed = fs.readFileSync(path.join(root, k.wasm));
      expect(committed.equals(fresh), `${k.wasm} differs from a fresh build: run ${k.script}`).toBe(true);
    }, 120_000);
  }
});
