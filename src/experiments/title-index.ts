// Nearest training titles under a trained Siamese model, for `jtlab similar`. Tower outputs of all training titles
// are computed once per run and cached in the run folder (artifacts/, git-ignored).
import * as crypto from "crypto";
import * as fs from "fs";
import * as path from "path";
import { TrainedSiamese } from "../models/siamese/trained";

export interface TitleIndex {
  nearest(title: string, k: number): Promise<{ title: string; score: number }[]>;
}

export async function titleIndex(t: TrainedSiamese, runDir: string, titles: string[]): Promise<TitleIndex> {
  const dim = t.similarity.dim;
  const key = crypto.createHash("sha256").update(titles.join("\n")).digest("hex").slice(0, 16);
  const file = path.join(runDir, "artifacts", `title-vectors-${key}.f32`);
  let rows: Float32Array;
  if (fs.existsSync(file)) {
    const buf = fs.readFileSync(file);
    rows = new Float32Array(buf.buffer.slice(buf.byteOffset, buf.byteOffset + buf.byteLength));
  } else {
    rows = await t.similarity.encode(titles);
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, Buffer.from(rows.buffer, rows.byteOffset, rows.byteLength));
  }
  if (rows.length !== titles.length * dim) throw new Error(`${file}: cached vectors do not match the titles; delete it to rebuild`);
  return {
    async nearest(title, k) {
      const sims = t.similarity.similarityMatrix(await t.similarity.encode([title]), rows);
      const order = Array.from(sims.keys()).sort((a, b) => sims[b] - sims[a]).slice(0, k);
      return order.map((i) => ({ title: titles[i], score: Math.round(sims[i] * 10000) / 10000 }));
    },
  };
}
