// Word vectors for the word-aware tower: word2vec trained on all the open text the project has, then copied into the
// tower's word embedding so that training starts from words that already mean something ("lawyer" near
// "attorney", "nurse" near "patients") instead of from noise.
//
// The corpus, from training data only (no MELO, no ESCO, no test titles):
//   - every training title (its words);
//   - every O*NET task statement, led by one of its occupation's training titles, so that a title's words share a
//     window with the work it describes ("registered nurse administer medications to patients …");
//   - every O*NET technology skill example, led the same way ("accountant intuit quickbooks");
//   - every simulated profile (its titles and skill names), as the talk's "a user is a document".
import { loadTaskStatements, loadTechnologySkills } from "../../data/onet";
import { Datasets } from "../../datasets/build";
import { normalizeTitle } from "../../text/normalize";
import { Rng } from "../../util/random";
import { Word2VecModel } from "../embeddings/index";
import { WordTitleEncoder } from "./encoders";

export interface OpenTextCorpus {
  sentences: string[][];
  /** Sentences by source, for the run's record. */
  counts: { titles: number; tasks: number; skills: number; profiles: number };
}

const words = (s: string): string[] => normalizeTitle(s).words;

export function openTextCorpus(d: Datasets, seed: number, dataDir?: string): OpenTextCorpus {
  const rng = new Rng(seed);
  const sentences: string[][] = [];
  const titlesOf = new Map<string, string[]>();
  for (const t of d.train) {
    const w = words(t.title);
    if (w.length) sentences.push(w);
    for (const g of t.groups) {
      if (!g.startsWith("onet:")) continue;
      let l = titlesOf.get(g.slice(5));
      if (!l) titlesOf.set(g.slice(5), (l = []));
      l.push(t.title);
    }
  }
  const titles = sentences.length;
  const led = (code: string, text: string): string[] | null => {
    const own = titlesOf.get(code);
    const w = words(text);
    if (!w.length) return null;
    return own ? [...words(rng.pick(own)), ...w] : w;
  };
  let tasks = 0;
  for (const t of loadTaskStatements(dataDir)) {
    const s = led(t.code, t.task);
    if (s) (sentences.push(s), tasks++);
  }
  let skills = 0;
  for (const k of loadTechnologySkills(dataDir)) {
    const s = led(k.code, k.example);
    if (s) (sentences.push(s), skills++);
  }
  for (const p of d.profiles) sentences.push([...p.titles.flatMap(words), ...p.tokens.flatMap((x) => x.split("_"))]);
  return { sentences, counts: { titles, tasks, skills, profiles: d.profiles.length } };
}

/**
 * The word branch's vocabulary: the training titles' words, most frequent first, then the other words word2vec knows
 * (tasks and skills words a title may use at test time, which then arrive with their pretrained vectors), up to `size`.
 */
export function wordEncoderFor(d: Datasets, w2v: Word2VecModel | null, size: number, maxLength: number): WordTitleEncoder {
  const vocab = WordTitleEncoder.fromTitles(d.train.map((t) => t.title), Infinity).words.slice();
  if (w2v) {
    const seen = new Set(vocab);
    for (const w of w2v.words) if (!seen.has(w)) vocab.push(w);
  }
  return new WordTitleEncoder(vocab.slice(0, size), maxLength, true);
}

/**
 * Rows of the word embedding for the encoder's words: each known word's word2vec vector scaled to `norm` (the
 * branch's convolutions are initialized for inputs of that size), the rest (and padding) left as initialized.
 */
export function pretrainedRows(enc: WordTitleEncoder, w2v: Word2VecModel, current: Float32Array, dim: number, norm = 1): { rows: Float32Array; known: number } {
  if (w2v.dim !== dim) throw new Error(`word2vec has ${w2v.dim} dimensions, the word branch's embedding ${dim}`);
  const rows = Float32Array.from(current);
  let known = 0;
  enc.words.forEach((w, i) => {
    if (!w2v.has(w)) return;
    const v = w2v.vector(w);
    let n = 0;
    for (const x of v) n += x * x;
    if (n === 0) return;
    const s = norm / Math.sqrt(n);
    for (let j = 0; j < dim; j++) rows[(i + 1) * dim + j] = v[j] * s;
    known++;
  });
  return { rows, known };
}
