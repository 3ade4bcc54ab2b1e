// Notebooks are committed without outputs: executed copies live in reports/ (git-ignored).
import * as path from "path";
import { describe, expect, it } from "vitest";
import { hygieneProblems, readNotebook } from "../src/notebook/nbformat";
import { listNotebooks, loadProfiles } from "../src/notebook/catalog";
import { declaredParams, parametersCellIndex } from "../src/notebook/params";
import { sourceText } from "../src/notebook/nbformat";

describe("committed notebooks", () => {
  const notebooks = listNotebooks();

  it("exist and are numbered", () => {
    expect(notebooks.length).toBeGreaterThan(0);
    expect(path.basename(notebooks[0])).toMatch(/^00-/);
  });

  it.each(notebooks.map((n) => [path.basename(n), n]))("%s has no outputs or execution counts", (_name, file) => {
    expect(hygieneProblems(readNotebook(file))).toEqual([]);
  });

  it("profiles only name notebooks and parameters that exist", () => {
    const byName = new Map(notebooks.map((n) => [path.basename(n, ".ipynb"), n]));
    for (const [profile, nbs] of Object.entries(loadProfiles())) {
      for (const [name, params] of Object.entries(nbs)) {
        const file = byName.get(name);
        expect(file, `${profile}: ${name}`).toBeDefined();
        const nb = readNotebook(file!);
        const p = parametersCellIndex(nb);
        const declared = p >= 0 ? declaredParams(sourceText(nb.cells[p])).map((d) => d.name) : [];
        for (const k of Object.keys(params)) expect(declared, `${profile}: ${name}: ${k}`).toContain(k);
      }
    }
  });
});
