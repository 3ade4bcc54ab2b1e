// Builds the AssemblyScript kernels listed in kernels-as/kernels.json into their committed .wasm files, with the
// assemblyscript devDependency (no native toolchain). The .wasm files are committed so that nobody needs the
// compiler; rerun this after editing kernels-as/ (test/wasm-kernels.test.ts checks every committed file against a
// fresh build).
//
//   node scripts/build-kernels.mjs [name ...] [--out-dir DIR] [--wat]
//
// Names pick kernels from the table (default: all). --out-dir writes <DIR>/<name>.wasm instead of the table's
// output; --wat also writes the text form beside each binary.
import asc from "assemblyscript/asc";
import { mkdirSync, readFileSync } from "fs";
import { dirname, join, resolve } from "path";
import { fileURLToPath } from "url";

const root = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const table = JSON.parse(readFileSync(join(root, "kernels-as/kernels.json"), "utf8"));

function parseArgs(argv) {
  const names = [];
  let outDir = null;
  let wat = false;
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === "--out-dir") {
      outDir = argv[++i];
      if (!outDir) throw new Error("--out-dir needs a directory");
    } else if (argv[i] === "--wat") {
      wat = true;
    } else if (argv[i].startsWith("-")) {
      throw new Error(`unknown option ${argv[i]}`);
    } else {
      names.push(argv[i]);
    }
  }
  for (const n of names) {
    if (!table.some((k) => k.name === n)) throw new Error(`no kernel "${n}" in kernels-as/kernels.json (${table.map((k) => k.name).join(", ")})`);
  }
  return { names, outDir: outDir && resolve(outDir), wat };
}

/** Ids of the binary's sections, in order. */
function sectionIds(bytes) {
  const ids = [];
  let p = 8; // magic and version
  const leb = () => {
    let value = 0;
    let shift = 0;
    let byte;
    do {
      byte = bytes[p++];
      value += (byte & 0x7f) * 2 ** shift;
      shift += 7;
    } while (byte & 0x80);
    return value;
  };
  while (p < bytes.length) {
    const id = bytes[p++];
    const size = leb();
    ids.push(id);
    p += size;
  }
  return ids;
}

const START_SECTION = 8;
const DATA_SECTION = 11;

/**
 * A kernel that imports its memory shares it with its caller (tfjs's heap, or buffers that TypeScript lays out, on
 * several threads), so instantiating it must write nothing there (no data segments, no start function), and the
 * loader supplies env.memory and nothing else.
 */
function checkSharedMemoryKernel(name, bytes) {
  const module = new WebAssembly.Module(bytes);
  const imports = WebAssembly.Module.imports(module).map((i) => `${i.module}.${i.name}`);
  if (imports.length !== 1 || imports[0] !== "env.memory") throw new Error(`${name}: imports ${imports.join(", ") || "nothing"}; the loader supplies env.memory only`);
  const ids = sectionIds(bytes);
  if (ids.includes(DATA_SECTION)) throw new Error(`${name}: has data segments; instantiating it would overwrite its caller's memory`);
  if (ids.includes(START_SECTION)) throw new Error(`${name}: has a start function; instantiating it must run nothing`);
}

async function build(kernel, outDir, wat) {
  const out = outDir ? join(outDir, `${kernel.name}.wasm`) : join(root, kernel.output);
  mkdirSync(dirname(out), { recursive: true });
  const argv = [kernel.entry, ...kernel.flags, "--outFile", out];
  if (wat) argv.push("--textFile", out.replace(/\.wasm$/, ".wat"));
  const { error, stderr } = await asc.main(argv, { stdout: process.stdout, stderr: process.stderr });
  if (error) throw new Error(`${kernel.name}: ${error.message}\n${stderr.toString()}`);
  const bytes = readFileSync(out);
  if (kernel.flags.includes("--importMemory")) checkSharedMemoryKernel(kernel.name, bytes);
  console.log(`${kernel.name}: ${out} (${bytes.length} bytes)`);
}

const { names, outDir, wat } = parseArgs(process.argv.slice(2));
// asc resolves the entries and their imports from the working directory.
process.chdir(root);
for (const kernel of table) {
  if (names.length === 0 || names.includes(kernel.name)) await build(kernel, outDir, wat);
}
