// The live classifier panel's committed browser bundle and its data: the bundle is a build artifact (like the wasm
// kernels) and must equal a fresh build of its sources; the panel model's base64 must round-trip every byte.
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as path from "path";
import { describe, expect, it } from "vitest";
import { projectRoot } from "../src/data/paths";
import { fromBase64, toBase64 } from "../src/export/panel-model";
import { Rng } from "../src/util/random";

describe("the live panel's browser bundle", () => {
  it("src/export/browser/panel.js equals a fresh build (run node scripts/build-panel.mjs after changing its sources)", () => {
    const r = spawnSync(process.execPath, [path.join(projectRoot(), "scripts", "build-panel.mjs"), "--stdout"], { cwd: projectRoot(), encoding: "utf8", timeout: 120_000, maxBuffer: 64 << 20 });
    expect(r.status, r.stderr).toBe(0);
    const committed = fs.readFileSync(path.join(projectRoot(), "src", "export", "browser", "panel.js"), "utf8");
    expect(committed === r.stdout, "panel.js is stale: run node scripts/build-panel.mjs").toBe(true);
  }, 120_000);

  it("takes tfjs from the page (window.tf) and bundles no Node module", () => {
    const js = fs.readFileSync(path.join(projectRoot(), "src", "export", "browser", "panel.js"), "utf8");
    expect(js).toContain("window.tf");
    expect(js).not.toMatch(/require\(["'](fs|path|os|child_process|worker_threads)["']\)/);
    // tfjs itself is not inside: the bundle stays small.
    expect(js.length).toBeLessThan(300_000);
  });
});

describe("panel model base64", () => {
  it("round-trips bytes of every length mod 3 and equals Node's base64", () => {
    const rng = new Rng(7);
    for (const n of [0, 1, 2, 3, 4, 5, 100, 65_537, 200_001]) {
      const b = new Uint8Array(n);
      for (let i = 0; i < n; i++) b[i] = rng.nextUint32() & 255;
      const text = toBase64(b);
      expect(text).toBe(Buffer.from(b).toString("base64"));
      expect(Buffer.from(fromBase64(text)).equals(Buffer.from(b))).toBe(true);
    }
    expect(() => fromBase64("ab$d")).toThrow(/not base64 at character 2/);
  });
});

describe("a panel output that refers to its model script (what jtlab run stores)", () => {
  it("reads the script once it is asked for, and names the run and file when it is missing or changed", async () => {
    const { panelRef, panelSourceOf } = await import("../src/report/panel-html");
    const { tmpDir } = await import("./helpers");
    const file = path.join(tmpDir("jtlab-panel-ref-"), "run-1.js");
    const text = "(window.__jtlabModels=window.__jtlabModels||{})[\"run-1\"]={};\n";
    fs.writeFileSync(file, text);
    const ref = JSON.stringify(panelRef("run-1", file, text));
    expect(panelSourceOf(ref).script()).toBe(text);
    fs.appendFileSync(file, "// edited\n");
    expect(() => panelSourceOf(ref).script()).toThrow(/model of run run-1 at .*run-1\.js changed after this notebook ran \(SHA-256 differs\): run the notebook again/);
    fs.rmSync(file);
    expect(() => panelSourceOf(ref).script()).toThrow(/model of run run-1 is not at .*run-1\.js: run the notebook again/);
    expect(() => panelSourceOf(JSON.stringify({ format: "jtlab-panel-ref", run: "x" }))).toThrow(/reference without its file or SHA-256/);
  });
});
