// Fuzzing the notebook parameters: values injected into a notebook (src/notebook/params.ts) and `-p name=value` text
// (src/cli/params.ts). No kernel: the injected cell is parsed with tslab's own TypeScript and its initializers are
// evaluated, so "the same value" means what the kernel would see. Every property states its number of cases.
import * as fc from "fast-check";
import * as vm from "vm";
import { beforeAll, describe, expect, it } from "vitest";
import { UsageError } from "../src/cli/args";
import { parseParams, typedValue } from "../src/cli/params";
import { ParamValue } from "../src/core/types";
import { Notebook, sourceText, tags } from "../src/notebook/nbformat";
import { declaredParams, MAX_PARAM_DEPTH, parameterize } from "../src/notebook/params";

// eslint-disable-next-line @typescript-eslint/no-var-requires
const ts = require("@tslab/typescript-for-tslab") as typeof import("typescript");

/** Cases per property (fast-check's numRuns); the test names say it. */
const RUNS = 300;
/** Milliseconds one case may take: a parser that backtracks on some input shows here rather than as a hung test. */
const CASE_MS = 500;

function notebookDeclaring(names: string[]): Notebook {
  return {
    nbformat: 4,
    nbformat_minor: 5,
    metadata: {},
    cells: [
      { cell_type: "code", source: names.map((n) => `let ${n} = null;\n`).join(""), metadata: { tags: ["parameters"] }, outputs: [], execution_count: null },
      { cell_type: "code", source: "console.log(1);", metadata: {}, outputs: [], execution_count: null },
    ],
  };
}

function injectedCell(nb: Notebook): string {
  const cell = nb.cells.find((c) => tags(c).includes("injected-parameters"));
  return cell ? sourceText(cell) : "";
}

/** Syntax errors tslab's TypeScript finds in a cell. */
function syntaxErrors(code: string): string[] {
  const out = ts.transpileModule(code, { reportDiagnostics: true, compilerOptions: { target: ts.ScriptTarget.ES2022 } });
  return (out.diagnostics ?? []).map((d) => ts.flattenDiagnosticMessageText(d.messageText, "\n"));
}

/** What the kernel would bind each declared name to. */
function evaluated(code: string): Map<string, unknown> {
  const out = new Map<string, unknown>();
  for (const d of declaredParams(code)) out.set(d.name, vm.runInNewContext(`(${d.initializer})`));
  return out;
}

/** Deep equality that tells -0 from 0, reads NaN as NaN, and compares own keys (also "__proto__") across realms. */
function same(a: unknown, b: unknown): boolean {
  if (typeof a === "number" || typeof b === "number") return Object.is(a, b);
  if (a === null || b === null || typeof a !== "object" || typeof b !== "object") return a === b;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  const ka = Object.keys(a).sort();
  const kb = Object.keys(b).sort();
  return ka.length === kb.length && ka.every((k, i) => k === kb[i] && same((a as any)[k], (b as any)[k]));
}

function timed<T>(fn: () => T): T {
  const t0 = performance.now();
  const r = fn();
  const ms = performance.now() - t0;
  if (ms > CASE_MS) throw new Error(`one case took ${ms.toFixed(0)} ms (bound ${CASE_MS} ms)`);
  return r;
}

const anyString = fc.string({ unit: "binary", maxLength: 60 });
const specialNumber = fc.constantFrom(NaN, -0, 0, Infinity, -Infinity, Number.MIN_VALUE, -Number.MAX_VALUE, 1e21, 1e-7, 2 ** 53 + 2);
const leaf = fc.oneof(fc.double(), specialNumber, fc.integer(), anyString, fc.boolean(), fc.constant(null));
const key = fc.oneof(fc.string({ unit: "binary", maxLength: 12 }), fc.constantFrom("__proto__", "constructor", "toString", "", "0", "1e3"));
const { value: anyValue } = fc.letrec((tie) => ({
  value: fc.oneof({ depthSize: "small", withCrossShrink: true }, leaf, fc.array(tie("value"), { maxLength: 4 }), fc.dictionary(key, tie("value"), { maxKeys: 4 })),
}));
const identifier = fc.stringMatching(/^[A-Za-z_$][\w$]{0,12}$/);
// Text a user might type after -p: numbers in every spelling, JSON (valid and broken), words, and anything at all.
const paramText = fc.oneof(
  anyString,
  fc.double().map(String),
  fc.integer().map((n) => ` ${n} `),
  fc.constantFrom("true", "false", "null", "1e999", "-0", ".5", "1.", "+3", "0x10", "NaN", "Infinity", "[", "{", '"', "[1,", '{"a":', "[]", "{}", '""', "  "),
  anyValue.map((v) => JSON.stringify(v) ?? "undefined"),
  fc.string({ unit: fc.constantFrom("[", "]", "{", "}", '"', ",", ":", "1", "e", "-", ".", " "), maxLength: 200 }),
);
const paramName = fc.oneof(identifier, fc.string({ unit: "binary", maxLength: 8 })).filter((n) => n.trim() !== "__proto__");

beforeAll(() => {
  // Loading tslab's TypeScript takes a while once; the per-case bound is for the work, not the load.
  declaredParams("let warm = 1;");
  syntaxErrors("let warm = 1;");
});

describe("injecting parameters into a notebook", () => {
  it(`injects any value (JSON values, NaN, ±Infinity, -0, any string, "__proto__" keys) as a declaration of the same value (${RUNS} cases)`, () => {
    fc.assert(
      fc.property(anyValue, (v) => {
        timed(() => {
          const nb = parameterize(notebookDeclaring(["x"]), { x: v as ParamValue });
          const code = injectedCell(nb);
          expect(syntaxErrors(code)).toEqual([]);
          const got = evaluated(code);
          expect([...got.keys()]).toEqual(["x"]);
          if (!same(got.get("x"), v)) throw new Error(`injected ${code.trim()} does not declare ${String(JSON.stringify(v))}`);
        });
      }),
      { numRuns: RUNS, seed: 14 },
    );
  });

  it(`keeps each declared type annotation and injects every value given, in a cell that parses (${RUNS} cases)`, () => {
    fc.assert(
      fc.property(fc.uniqueArray(identifier, { minLength: 1, maxLength: 5 }), fc.array(leaf, { minLength: 5, maxLength: 5 }), (names, values) => {
        timed(() => {
          const nb = notebookDeclaring([]);
          nb.cells[0].source = names.map((n) => `let ${n}: unknown = 0;\n`).join("");
          const given = Object.fromEntries(names.map((n, i) => [n, values[i] as ParamValue]));
          const code = injectedCell(parameterize(nb, given));
          expect(syntaxErrors(code)).toEqual([]);
          expect(declaredParams(code).map((d) => [d.name, d.type])).toEqual(names.map((n) => [n, "unknown"]));
          const got = evaluated(code);
          for (const n of names) if (!same(got.get(n), given[n])) throw new Error(`${n}: injected ${code.trim()}`);
        });
      }),
      { numRuns: RUNS, seed: 14 },
    );
  });

  it("refuses a value nested too deep with a clear error", () => {
    let deep: unknown = 1;
    for (let i = 0; i <= MAX_PARAM_DEPTH + 1; i++) deep = [deep];
    expect(() => parameterize(notebookDeclaring(["x"]), { x: deep as ParamValue })).toThrow(/parameter x: the value is nested more than 100 levels deep/);
  });
});

describe("-p name=value text", () => {
  it(`any text after -p gives a typed value or a clear error, never another kind of failure, within ${CASE_MS} ms (${RUNS} cases)`, () => {
    fc.assert(
      fc.property(paramName, fc.constantFrom("=", "", "==", " = "), paramText, (name, eq, text) => {
        timed(() => {
          let params: Record<string, ParamValue>;
          try {
            params = parseParams([`${name}${eq}${text}`]);
          } catch (e) {
            expect(e).toBeInstanceOf(UsageError);
            expect((e as Error).message).toMatch(/^-p(?: expects name=value, got |: .* is not a valid parameter name$| \S+: .* is too large for a number$)/s);
            return;
          }
          const keys = Object.keys(params);
          expect(keys).toHaveLength(1);
          // Injected into a notebook that declares the name: a cell that parses, or a clear refusal.
          try {
            const code = injectedCell(parameterize(notebookDeclaring(keys), params));
            expect(syntaxErrors(code)).toEqual([]);
            if (!same(evaluated(code).get(keys[0]), params[keys[0]])) throw new Error(`${code.trim()} does not declare the parsed value`);
          } catch (e) {
            if (!(e instanceof Error) || e.constructor !== Error) throw e;
            expect(e.message).toMatch(/^(unknown parameter|parameter \S+: the value is nested more than)/);
          }
        });
      }),
      { numRuns: RUNS, seed: 14 },
    );
  });

  it(`types numbers, booleans, null and JSON as papermill does, and keeps any other text as it was typed (${RUNS} cases)`, () => {
    fc.assert(
      fc.property(fc.oneof(fc.double({ noNaN: true, noDefaultInfinity: true }), fc.boolean(), fc.constant(null), fc.jsonValue()), (v) => {
        const text = typeof v === "number" ? String(v) : JSON.stringify(v);
        const got = timed(() => parseParams([`x=${text}`]).x);
        // -0 prints as "0"; everything else comes back as it was.
        if (!same(got, Object.is(v, -0) ? 0 : v) && JSON.stringify(got) !== JSON.stringify(v)) throw new Error(`${text} → ${JSON.stringify(got)}`);
      }),
      { numRuns: RUNS, seed: 14 },
    );
    fc.assert(
      fc.property(anyString, (s) => {
        const t = s.trim();
        fc.pre(!/^(true|false|null)$/.test(t) && !/^[-+]?(\d+\.?\d*|\.\d+)(e[-+]?\d+)?$/i.test(t) && !/^[[{"]/.test(t));
        expect(timed(() => typedValue(s))).toBe(s);
      }),
      { numRuns: RUNS, seed: 14 },
    );
  });

  it("`-p n=1e999` is refused as too large a number; Infinity given by code is injected as Infinity, not as null", () => {
    expect(() => parseParams(["n=1e999"])).toThrow("-p n: 1e999 is too large for a number");
    const code = injectedCell(parameterize(notebookDeclaring(["n"]), { n: Infinity }));
    expect(code).toContain("let n = Infinity;");
  });

  // Bugs the fuzz found in src/cli/params.ts, fixed.
  it("`-p __proto__=1` is kept as a parameter (it was silently dropped)", () => {
    expect(Object.keys(parseParams(["__proto__=1"]))).toEqual(["__proto__"]);
  });

  it(`a 30,000-digit value followed by a letter is typed within ${CASE_MS} ms (the number pattern backtracked quadratically)`, () => {
    timed(() => typedValue("1".repeat(30_000) + "x"));
  });
});
