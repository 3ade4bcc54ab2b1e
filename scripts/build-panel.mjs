// Builds the live classifier panel's browser bundle, src/export/browser/panel.js, from panel-entry.ts and what it
// imports (the pure export classifier). tfjs is not bundled: every import of @tensorflow/tfjs becomes the page's
// `window.tf` (tfjs's own browser build, a shared report asset). The bundle is committed like the wasm kernels, and
// test/live-panel-bundle.test.ts fails when it differs from a fresh build.
// usage: node scripts/build-panel.mjs            write the bundle
//        node scripts/build-panel.mjs --stdout   print a fresh build (the test compares it)
import * as esbuild from "esbuild";
import * as fs from "fs";
import * as path from "path";
import { fileURLToPath } from "url";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
export const ENTRY = path.join(root, "src", "export", "browser", "panel-entry.ts");
export const OUT = path.join(root, "src", "export", "browser", "panel.js");

const tfGlobal = {
  name: "tfjs-global",
  setup(build) {
    build.onResolve({ filter: /^@tensorflow\/tfjs(-core|-layers)?$/ }, (a) => ({ path: a.path, namespace: "tf-global" }));
    build.onLoad({ filter: /.*/, namespace: "tf-global" }, () => ({
      contents: "if (typeof window.tf === 'undefined') throw new Error('jtlab panel: load tfjs (assets/tf.min.js) before panel.js'); module.exports = window.tf;",
      loader: "js",
    }));
  },
};

export async function buildPanel() {
  const r = await esbuild.build({
    entryPoints: [ENTRY],
    bundle: true,
    write: false,
    format: "iife",
    platform: "browser",
    target: "es2019",
    minify: true,
    legalComments: "none",
    charset: "utf8",
    plugins: [tfGlobal],
    // Relative paths only, so the bytes do not depend on where the checkout is.
    absWorkingDir: root,
    logLevel: "silent",
  });
  return "// jtlab live classifier panel: built by scripts/build-panel.mjs from src/export/browser/panel-entry.ts; do not edit.\n" + r.outputFiles[0].text;
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const text = await buildPanel();
  if (process.argv.includes("--stdout")) process.stdout.write(text);
  else {
    fs.writeFileSync(OUT, text);
    console.log(`${path.relative(root, OUT)}: ${text.length.toLocaleString("en-US")} bytes`);
  }
}
