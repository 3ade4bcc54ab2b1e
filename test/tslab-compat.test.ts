// Notebooks import src/ through tslab, which compiles it with its own TypeScript 5.0.4: lib ES2022, every package
// in node_modules/@types, declarations emitted. These tests compile src/ the same way — all of it, and each
// notebook's own imports as one program (as tslab does), since a declaration that one file pulls in can hide an
// error that a notebook importing another file alone would hit.
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { describe, expect, it } from "vitest";
import { projectRoot } from "../src/data/paths";
import { readNotebook, sourceText } from "../src/notebook/nbformat";
import { listNotebooks } from "../src/notebook/catalog";

// eslint-disable-next-line @typescript-eslint/no-var-requires
const ts = require("@tslab/typescript-for-tslab") as typeof import("typescript");

function srcFiles(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name);
    return e.isDirectory() ? srcFiles(p) : e.name.endsWith(".ts") ? [p] : [];
  });
}

function compile(files: string[]): string[] {
  const program = ts.createProgram(files, {
    module: ts.ModuleKind.ESNext,
    moduleResolution: ts.ModuleResolutionKind.Node10,
    esModuleInterop: true,
    target: ts.ScriptTarget.ES2022,
    lib: ["lib.es2022.d.ts"],
    resolveJsonModule: true,
    skipLibCheck: true,
    declaration: true,
    emitDeclarationOnly: true,
    outDir: path.join(os.tmpdir(), "jtlab-tslab-compat"),
    typeRoots: [path.join(projectRoot(), "node_modules", "@types")],
  });
  const emitted = program.emit(undefined, () => undefined);
  return [...ts.getPreEmitDiagnostics(program), ...emitted.diagnostics].map((d) => {
    const where = d.file ? `${path.relative(projectRoot(), d.file.fileName)}:${d.file.getLineAndCharacterOfPosition(d.start ?? 0).line + 1}` : "";
    return `${where} ${ts.flattenDiagnosticMessageText(d.messageText, "\n")}`;
  });
}

describe("tslab compatibility", () => {
  it("uses TypeScript 5.0.4", () => {
    expect(ts.version).toBe("5.0.4");
  });

  it("every src file compiles under tslab's TypeScript with its options", () => {
    expect(compile(srcFiles(path.join(projectRoot(), "src")))).toEqual([]);
  });

  it.each(listNotebooks().map((n) => [path.basename(n), n]))("%s: the src modules it imports compile on their own", (_name, file) => {
    const specs = new Set<string>();
    for (const cell of readNotebook(file).cells) {
      if (cell.cell_type !== "code") continue;
      for (const m of sourceText(cell).matchAll(/from\s+"(\.\/src\/[^"]+)"/g)) specs.add(m[1]);
    }
    const files = [...specs].map((s) => path.join(projectRoot(), `${s}.ts`));
    for (const f of files) expect(fs.existsSync(f), f).toBe(true);
    if (files.length) expect(compile(files)).toEqual([]);
  });
});
