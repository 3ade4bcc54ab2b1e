import * as fs from "fs";
import * as path from "path";
import { describe, expect, it } from "vitest";
import { OTHER, SimilarityModel } from "../src/core/types";
import { loadRepresentatives, RepresentativeClassifier, Representatives } from "../src/models/representatives/classifier";
import { dotMatrix } from "../src/models/representatives/similarity";
import { tmpDir } from "./helpers";

// A similarity model whose every number can be worked out by hand: each known title is a fixed vector, and the
// similarity of two titles is the dot product of their vectors. The representative examples are unit vectors, so a
// title's similarity to an example is simply one of its own components. All values are exact in float32.
const DIM = 5;
const unit = (i: number): number[] => Array.from({ length: DIM }, (_, j) => (j === i ? 1 : 0));

const VECTORS: Record<string, number[]> = {
  "eng 1": unit(0),
  "eng 2": unit(1),
  "eng 3": unit(2),
  "mkt 1": unit(3),
  "sales 1": unit(4),
  // Engineering examples 0.75, 0.5, -0.5; Marketing's one example 0.5.
  "mixed": [0.75, 0.5, -0.5, 0.5, 0],
  // The same best score for Engineering and Marketing.
  "tied": [0.625, 0, 0, 0.625, 0],
  "exactly half": [0.5, 0, 0, 0, 0],
  // The float32 numbers just below and just above 0.5.
  "just below half": [0.5 - 2 ** -25, 0, 0, 0, 0],
  "just above half": [0.5 + 2 ** -24, 0, 0, 0, 0],
  "weak": [0, 0, 0, 0.25, 0],
  // A model may give a title without words any vector; this one would look like a perfect engineer.
  "": [1, 1, 1, 0, 0],
  "  ": [1, 1, 1, 0, 0],
};

function handModel(): SimilarityModel & { encodeCalls: number } {
  const model = {
    name: "hand",
    dim: DIM,
    encodeCalls: 0,
    async encode(titles: readonly string[]): Promise<Float32Array> {
      model.encodeCalls++;
      const out = new Float32Array(titles.length * DIM);
      titles.forEach((t, i) => {
        const v = VECTORS[t];
        if (!v) throw new Error(`hand model: no vector for ${JSON.stringify(t)}`);
        out.set(v, i * DIM);
      });
      return out;
    },
    similarityMatrix(A: Float32Array, B: Float32Array): Float32Array {
      const nA = A.length / DIM;
      const nB = B.length / DIM;
      const out = new Float32Array(nA * nB);
      for (let i = 0; i < nA; i++) for (let k = 0; k < nB; k++) for (let j = 0; j < DIM; j++) out[i * nB + k] += A[i * DIM + j] * B[k * DIM + j];
      return out;
    },
  };
  return model;
}

const reps = (): Representatives =>
  new Map([
    ["Engineering", ["eng 1", "eng 2", "eng 3"]],
    ["Marketing", ["mkt 1"]],
  ]);

async function classifier(opts: Parameters<typeof RepresentativeClassifier.create>[2] = {}, r: Representatives = reps()): Promise<RepresentativeClassifier> {
  return RepresentativeClassifier.create(handModel(), r, opts);
}

describe("RepresentativeClassifier: threshold", () => {
  it("labels a score below the threshold Other but still names the best class", async () => {
    const c = await classifier({ threshold: 0.5 });
    expect(await c.predict(["just below half"])).toEqual([{ label: OTHER, score: 0.5 - 2 ** -25, best: "Engineering" }]);
    expect(await c.predict(["weak"])).toEqual([{ label: OTHER, score: 0.25, best: "Marketing" }]);
  });

  it("gives the class to a score exactly at the threshold and above it", async () => {
    const c = await classifier({ threshold: 0.5 });
    expect(await c.predict(["exactly half", "just above half"])).toEqual([
      { label: "Engineering", score: 0.5, best: "Engineering" },
      { label: "Engineering", score: 0.5 + 2 ** -24, best: "Engineering" },
    ]);
  });

  it("defaults to the talk's max aggregate and 0.5 threshold, and follows a threshold changed later", async () => {
    const c = await classifier();
    expect([c.aggregate, c.threshold]).toEqual(["max", 0.5]);
    expect((await c.predict(["weak"]))[0].label).toBe(OTHER);
    c.threshold = 0.25;
    expect((await c.predict(["weak"]))[0].label).toBe("Marketing");
  });
});

describe("RepresentativeClassifier: aggregates", () => {
  // "mixed": Engineering similarities 0.75, 0.5, -0.5; Marketing 0.5.
  it("max takes the closest example", async () => {
    const c = await classifier({ aggregate: "max", threshold: 0 });
    expect(Array.from((await c.scoreTable(["mixed"])).scores)).toEqual([0.75, 0.5]);
    expect((await c.predict(["mixed"]))[0]).toEqual({ label: "Engineering", score: 0.75, best: "Engineering" });
  });

  it("mean averages every example, which can change the winner", async () => {
    const c = await classifier({ aggregate: "mean", threshold: 0 });
    expect(Array.from((await c.scoreTable(["mixed"])).scores)).toEqual([0.25, 0.5]);
    expect((await c.predict(["mixed"]))[0]).toEqual({ label: "Marketing", score: 0.5, best: "Marketing" });
  });

  it("weights: max and topk count an example's similarity times its weight, mean weighs the average", async () => {
    // Engineering's examples weighted 0.5, 1, 1 ("mixed": similarities 0.75, 0.5, -0.5, so 0.375, 0.5, -0.5).
    const weights = new Map([["Engineering", [0.5, 1, 1]]]);
    const max = await classifier({ aggregate: "max", threshold: 0, weights });
    expect(Array.from((await max.scoreTable(["mixed"])).scores)).toEqual([0.5, 0.5]);
    const topk = await classifier({ aggregate: "topk", k: 2, threshold: 0, weights });
    expect(Array.from((await topk.scoreTable(["mixed"])).scores)).toEqual([0.4375, 0.5]);
    // (0.5·0.75 + 1·0.5 + 1·(-0.5)) / 2.5 = 0.15
    const mean = await classifier({ aggregate: "mean", threshold: 0, weights });
    expect((await mean.scoreTable(["mixed"])).scores[0]).toBeCloseTo(0.15, 6);
    await expect(classifier({ weights: new Map([["Engineering", [1, 1]]]) })).rejects.toThrow(/has 3 examples but 2 weights/);
    await expect(classifier({ weights: new Map([["Marketing", [0]]]) })).rejects.toThrow(/weight 0 of an example of "Marketing" is not a positive number/);
  });

  it("topk averages the k closest examples", async () => {
    const c = await classifier({ aggregate: "topk", k: 2, threshold: 0 });
    expect(Array.from((await c.scoreTable(["mixed"])).scores)).toEqual([0.625, 0.5]);
    expect((await c.predict(["mixed"]))[0]).toEqual({ label: "Engineering", score: 0.625, best: "Engineering" });
  });

  it("topk with k larger than a class's examples averages all of them (the mean)", async () => {
    const c = await classifier({ aggregate: "topk", k: 5, threshold: 0 });
    expect(Array.from((await c.scoreTable(["mixed"])).scores)).toEqual([0.25, 0.5]);
    expect((await c.predict(["mixed"]))[0].label).toBe("Marketing");
  });

  it("refuses a topk k that is not a positive whole number", async () => {
    for (const k of [0, -1, 1.5, NaN]) await expect(classifier({ aggregate: "topk", k })).rejects.toThrow(/k must be a positive integer/);
  });
});

describe("RepresentativeClassifier: ties", () => {
  // A tie goes to the class that comes first in the classifier's class order, which is the order of the
  // representatives map: the same input always gives the same answer, and reordering the map is how to change it.
  it("gives a tie to the first class in the classifier's class order", async () => {
    const c = await classifier({ threshold: 0.5 });
    expect(c.classes).toEqual(["Engineering", "Marketing"]);
    expect(await c.predict(["tied"])).toEqual([{ label: "Engineering", score: 0.625, best: "Engineering" }]);
    const swapped = await classifier({ threshold: 0.5 }, new Map([...reps()].reverse()));
    expect(swapped.classes).toEqual(["Marketing", "Engineering"]);
    expect(await swapped.predict(["tied"])).toEqual([{ label: "Marketing", score: 0.625, best: "Marketing" }]);
  });

  it("answers a tie the same way wherever the title sits in a batch", async () => {
    const c = await classifier();
    const titles = ["mixed", "tied", "weak", "tied", "tied"];
    for (const batch of [1, 2, 5]) {
      const labels = c.predictFromTable(titles, await c.scoreTable(titles, batch)).map((p) => p.label);
      expect(labels).toEqual(["Engineering", "Engineering", OTHER, "Engineering", "Engineering"]);
    }
  });
});

describe("RepresentativeClassifier: titles and classes", () => {
  it("makes a title without words Other with score 0, whatever the model's vector for it says", async () => {
    const c = await classifier({ threshold: 0 });
    expect(await c.predict(["", "  "])).toEqual([
      { label: OTHER, score: 0, best: OTHER },
      { label: OTHER, score: 0, best: OTHER },
    ]);
  });

  it("leaves out a class without examples and the Other class", async () => {
    const r: Representatives = new Map([
      ["Sales & Account Mgmt", []],
      ["Engineering", ["eng 1"]],
      [OTHER, ["sales 1"]],
      ["Marketing", ["mkt 1"]],
    ]);
    const c = await classifier({ threshold: 0 }, r);
    expect(c.classes).toEqual(["Engineering", "Marketing"]);
    expect(Array.from((await c.scoreTable(["mixed"])).scores)).toEqual([0.75, 0.5]);
  });

  it("refuses representatives with no examples at all", async () => {
    await expect(classifier({}, new Map())).rejects.toThrow(/no class has representative examples/);
    await expect(classifier({}, new Map([["Engineering", []], [OTHER, ["eng 1"]]]))).rejects.toThrow(/no class has representative examples/);
  });
});

describe("RepresentativeClassifier: batches and shared encodings", () => {
  const titles = ["mixed", "tied", "exactly half", "just below half", "weak", "eng 2", "mkt 1", ""];

  it("scores the same in batches as all at once", async () => {
    for (const aggregate of ["max", "mean", "topk"] as const) {
      const c = await classifier({ aggregate, k: 2 });
      const whole = c.scoreRows(await c.model.encode(titles));
      for (const batch of [1, 3, titles.length, 100]) {
        const t = await c.scoreTable(titles, batch);
        expect(t.classes).toEqual(whole.classes);
        expect(t.scores).toEqual(whole.scores);
      }
    }
  });

  it("encodes one batch at a time", async () => {
    const model = handModel();
    const c = await RepresentativeClassifier.create(model, reps());
    model.encodeCalls = 0;
    await c.scoreTable(titles, 3);
    expect(model.encodeCalls).toBe(3);
  });

  it("refuses a batch size below 1", async () => {
    const c = await classifier();
    await expect(c.scoreTable(titles, 0)).rejects.toThrow(/batch must be a positive integer/);
  });

  it("predicts the same from rows already encoded as from titles", async () => {
    const c = await classifier({ aggregate: "topk", k: 2, threshold: 0.5 });
    expect(c.predictRows(titles, await c.model.encode(titles))).toEqual(await c.predict(titles));
  });

  it("scores no titles as an empty table", async () => {
    const c = await classifier();
    expect(await c.scoreTable([])).toEqual({ classes: ["Engineering", "Marketing"], scores: new Float32Array(0) });
    expect(await c.predict([])).toEqual([]);
  });
});

describe("loadRepresentatives", () => {
  const write = (text: string): string => {
    const file = path.join(tmpDir(), "reps.tsv");
    fs.writeFileSync(file, text);
    return file;
  };

  it("groups the examples by class in file order", () => {
    const file = write("role\ttitle\nEngineering\tSoftware Engineer\nMarketing\tBrand Manager\nEngineering\t Developer \n");
    expect(loadRepresentatives(file, "role")).toEqual(
      new Map([
        ["Engineering", ["Software Engineer", "Developer"]],
        ["Marketing", ["Brand Manager"]],
      ]),
    );
  });

  it("refuses an unknown class, naming the file and line", () => {
    const file = write("role\ttitle\nEngineering\tSoftware Engineer\nEngineers\tDeveloper\n");
    expect(() => loadRepresentatives(file, "role")).toThrow(`${file}:3: unknown Functional Role class "Engineers"`);
  });

  it("refuses an empty title, naming the file and line", () => {
    const file = write("level\ttitle\nVP/Head of\tVP\n\nVP/Head of\t  \n");
    expect(() => loadRepresentatives(file, "level")).toThrow(`${file}:4: empty title`);
  });
});

describe("dotMatrix", () => {
  // The reference: each entry summed in float64 in index order, then stored as float32.
  function reference(A: Float32Array, B: Float32Array, dim: number): Float32Array {
    const nA = A.length / dim;
    const nB = B.length / dim;
    const out = new Float32Array(nA * nB);
    for (let i = 0; i < nA; i++) {
      for (let k = 0; k < nB; k++) {
        let s = 0;
        for (let j = 0; j < dim; j++) s += A[i * dim + j] * B[k * dim + j];
        out[i * nB + k] = s;
      }
    }
    return out;
  }

  function random(n: number, seed: number): Float32Array {
    let s = seed >>> 0;
    const out = new Float32Array(n);
    for (let i = 0; i < n; i++) {
      s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
      out[i] = s / 2 ** 32 - 0.5;
    }
    return out;
  }

  it("is A·Bᵀ summed in float64 in index order, bit for bit", () => {
    for (const [nA, nB, dim] of [
      [37, 11, 100],
      [5, 7, 1],
      [1, 1, 300],
    ]) {
      const A = random(nA * dim, nA);
      const B = random(nB * dim, nB + 1000);
      const got = dotMatrix(A, B, dim);
      expect(got.length).toBe(nA * nB);
      expect(got).toEqual(reference(A, B, dim));
    }
  });

  it("works out a small product by hand", () => {
    const A = new Float32Array([1, 2, 3, 4]);
    const B = new Float32Array([1, 0, 0, 1, 0.5, -0.5]);
    expect(Array.from(dotMatrix(A, B, 2))).toEqual([1, 2, -0.5, 3, 4, -0.5]);
  });

  it("handles no rows", () => {
    expect(dotMatrix(new Float32Array(0), new Float32Array(6), 3)).toEqual(new Float32Array(0));
    expect(dotMatrix(new Float32Array(6), new Float32Array(0), 3)).toEqual(new Float32Array(0));
  });
});
