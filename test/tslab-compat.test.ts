// Notebooks import src/ through tslab, which compiles it with its own TypeScript 5.0.4 and an ES2022 library.
// This test compiles every src file the same way, so a change that would break notebooks fails here first.
import * as fs from "fs";
import * as path from "path";
import { describe, expect, it } from "vitest";
import { projectRoot } from "../src/data/paths";

function srcFiles(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name);
    return e.isDirectory() ? srcFiles(p) : e.name.endsWith(".ts") ? [p] : [];
  });
}

describe("tslab compatibility", () => {
  it("every src file compiles under tslab's TypeScript with its options", () => {
    // eslint-disable-next-line @typescript-eslint/no-var-requires
    const ts = require("@tslab/typescript-for-tslab") as typeof import("typescript");
    expect(ts.version).toBe("5.0.4");
    const files = srcFiles(path.join(projectRoot(), "src"));
    const program = ts.createProgram(files, {
      module: ts.ModuleKind.ESNext,
      moduleResolution: ts.ModuleResolutionKind.Node10,
      esModuleInterop: true,
      target: ts.ScriptTarget.ES2022,
      lib: ["lib.es2022.d.ts"],
      resolveJsonModule: true,
      skipLibCheck: true,
      noEmit: true,
      types: ["node"],
    });
    const diags = ts.getPreEmitDiagnostics(program).map((d) => {
      const where = d.file ? `${path.relative(projectRoot(), d.file.fileName)}:${d.file.getLineAndCharacterOfPosition(d.start ?? 0).line + 1}` : "";
      return `${where} ${ts.flattenDiagnosticMessageText(d.messageText, "\n")}`;
    });
    expect(diags).toEqual([]);
  });
});
