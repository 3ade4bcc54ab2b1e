// Rebuilds kernel.wasm from kernel.as with AssemblyScript (a devDependency): `node src/models/embeddings/build-wasm.mjs`
// (WAT=file.wat also writes the text form). kernel.wasm is committed, so that training never needs the compiler.
// The source reaches asc under a .ts name because asc reads only .ts files, while a real .ts file under src/ would
// be type-checked by tsc and tslab, which know nothing of AssemblyScript's types.
import asc from "assemblyscript/asc";
import { readFileSync, writeFileSync } from "fs";
import { dirname, join } from "path";
import { fileURLToPath } from "url";

const here = dirname(fileURLToPath(import.meta.url));
const source = readFileSync(join(here, "kernel.as"), "utf8");
const flags = [
  "kernel.ts",
  "--outFile", "kernel.wasm",
  "--textFile", "kernel.wat",
  "--optimizeLevel", "3",
  "--shrinkLevel", "0",
  "--noAssert",
  "--runtime", "stub",
  // No abort import and no data segments: the module must not write to the shared memory when instantiated.
  "--use", "abort=",
  "--enable", "simd",
  "--enable", "threads",
  "--importMemory",
  "--sharedMemory",
  "--initialMemory", "1",
  "--maximumMemory", "65536",
];
const out = {};
const { error, stderr } = await asc.main(flags, {
  readFile: (name) => (name === "kernel.ts" ? source : null),
  writeFile: (name, contents) => {
    out[name] = contents;
  },
  listFiles: () => [],
});
if (error) {
  console.error(stderr.toString());
  throw error;
}
writeFileSync(join(here, "kernel.wasm"), out["kernel.wasm"]);
const wat = String(out["kernel.wat"]);
if (process.env.WAT) writeFileSync(process.env.WAT, wat);
if (/\(data\b/.test(wat)) throw new Error("kernel.wasm has data segments: instantiating it would overwrite shared memory");
if (/\(import "env" "(?!memory")/.test(wat)) throw new Error("kernel.wasm imports more than env.memory");
console.log(`wrote ${join(here, "kernel.wasm")} (${out["kernel.wasm"].length} bytes)`);
