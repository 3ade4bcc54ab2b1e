// The wasm kernels are committed so that no user needs the AssemblyScript compiler; these tests make sure each
// committed binary is what its source builds to (so that an edit to kernels-as/ without a rebuild fails here), and
// that the build table and the loader agree on where each binary lives.
import { execFileSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { describe, expect, it } from "vitest";
import { KERNEL_NAMES, wasmPath } from "../src/runtime/wasm";

const root = path.resolve(__dirname, "..");
const table: { name: string; entry: string; flags: string[]; output: string }[] = JSON.parse(fs.readFileSync(path.join(root, "kernels-as/kernels.json"), "utf8"));

describe("committed wasm kernels", () => {
  it("kernels-as/kernels.json lists the loader's kernels, each output where the loader reads it", () => {
    expect(table.map((k) => k.name).sort()).toEqual([...KERNEL_NAMES].sort());
    for (const k of table) {
      expect(k.output, k.name).toBe(path.relative(root, wasmPath(k.name as (typeof KERNEL_NAMES)[number])).split(path.sep).join("/"));
      expect(fs.existsSync(path.join(root, k.entry)), k.entry).toBe(true);
    }
  });

  it("every committed binary is a fresh build of its AssemblyScript source", () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "jtlab-wasm-"));
    try {
      execFileSync(process.execPath, ["scripts/build-kernels.mjs", "--out-dir", dir], { cwd: root, stdio: "pipe" });
      for (const k of table) {
        const fresh = fs.readFileSync(path.join(dir, `${k.name}.wasm`));
        const committed = fs.readFileSync(path.join(root, k.output));
        expect(committed.equals(fresh), `${k.output} differs from a fresh build: run node scripts/build-kernels.mjs ${k.name}`).toBe(true);
      }
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  }, 120_000);
});
