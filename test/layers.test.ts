// The layers of src/ as docs/ARCHITECTURE.md states them: a folder imports only from itself and the folders before
// it in the doc's one line of layers. The imports are read with TypeScript's own pre-processor (static imports,
// re-exports, require() and import()), so a lazy require cannot slip an upward dependency past the check.
import * as fs from "fs";
import * as path from "path";
import ts from "typescript";
import { describe, expect, it } from "vitest";
import { projectRoot } from "../src/data/paths";

const root = projectRoot();
const src = path.join(root, "src");
const doc = fs.readFileSync(path.join(root, "docs", "ARCHITECTURE.md"), "utf8");

/** The doc's line of layers: `core` → `data` → … (the only line made of backticked names and arrows). */
function layerOrder(): string[] {
  const lines = doc.split("\n").filter((l) => /^`[a-z]+`( → `[a-z]+`)+\s*$/.test(l.trim()));
  expect(lines, "docs/ARCHITECTURE.md states the layers once, as `a` → `b` → …").toHaveLength(1);
  return [...lines[0].matchAll(/`([a-z]+)`/g)].map((m) => m[1]);
}

function sourceFiles(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name);
    return e.isDirectory() ? sourceFiles(p) : /\.(ts|js|mjs|cjs)$/.test(e.name) ? [p] : [];
  });
}

const folderOf = (file: string): string => path.relative(src, file).split(path.sep)[0];

describe("the layers of src/", () => {
  const order = layerOrder();
  const rank = new Map(order.map((f, i) => [f, i]));

  it("the doc names every folder of src/, and only those", () => {
    const folders = fs.readdirSync(src, { withFileTypes: true }).filter((e) => e.isDirectory()).map((e) => e.name).sort();
    expect([...order].sort()).toEqual(folders);
  });

  it("every import goes to the importer's own layer or one before it", () => {
    const upward: string[] = [];
    for (const file of sourceFiles(src)) {
      const from = folderOf(file);
      for (const imp of ts.preProcessFile(fs.readFileSync(file, "utf8"), true, true).importedFiles) {
        if (!imp.fileName.startsWith(".")) continue;
        const target = path.resolve(path.dirname(file), imp.fileName);
        if (!target.startsWith(src + path.sep)) continue;
        const to = folderOf(target);
        if ((rank.get(to) ?? Infinity) > (rank.get(from) ?? -1)) upward.push(`${path.relative(root, file)} imports ${imp.fileName} (${from} → ${to})`);
      }
    }
    expect(upward).toEqual([]);
  });

  it("every import names a file, not a folder (tslab's module loader does not look for a folder's index)", () => {
    const folders: string[] = [];
    for (const file of sourceFiles(src)) {
      for (const imp of ts.preProcessFile(fs.readFileSync(file, "utf8"), true, true).importedFiles) {
        if (!imp.fileName.startsWith(".")) continue;
        const target = path.resolve(path.dirname(file), imp.fileName);
        const isFile = [".ts", ".js"].some((ext) => fs.existsSync(target + ext));
        if (!isFile && fs.existsSync(target) && fs.statSync(target).isDirectory()) folders.push(`${path.relative(root, file)} imports the folder ${imp.fileName}`);
      }
    }
    expect(folders).toEqual([]);
  });

  it("core imports nothing from the project", () => {
    expect(order[0]).toBe("core");
    for (const file of sourceFiles(path.join(src, "core"))) {
      const project = ts.preProcessFile(fs.readFileSync(file, "utf8"), true, true).importedFiles.filter((i) => i.fileName.startsWith("."));
      expect(project.map((i) => i.fileName), file).toEqual([]);
    }
  });

  it("the doc has a line for every module, under its folder", () => {
    const missing: string[] = [];
    for (const file of sourceFiles(src)) {
      const rel = path.relative(src, file).split(path.sep);
      const folder = rel.slice(0, -1).join("/");
      const name = rel[rel.length - 1];
      const line = doc.split("\n").find((l) => l.startsWith(`- \`${folder}/\``));
      if (!line || !line.includes(`\`${name}\``)) missing.push(`${folder}/${name}`);
    }
    expect(missing).toEqual([]);
  });
});
