// Labelled titles of a category type of one's own: a TSV `title, class`, as a taxonomy file's `labelled:` names it
// (its neighbours protocol votes with them) and as `jtlab fix --dev` reads gold. Every class must be one of the
// type's classes, or Other (a title that is none of them).
import { OTHER } from "../core/types";
import { DataFileError, readTsv } from "../data/tsv";
import { didYouMean } from "../util/suggest";
import { exampleKey, Taxonomy } from "./taxonomy-file";

export interface LabelledTitles {
  file: string;
  titles: string[];
  labels: string[];
}

export function readLabelledTitles(file: string, t: Pick<Taxonomy, "name" | "classes">): LabelledTitles {
  const known = [...t.classes.keys(), OTHER];
  const seen = new Map<string, { label: string; line: number }>();
  const out: LabelledTitles = { file, titles: [], labels: [] };
  for (const r of readTsv(file, { header: ["title", "class"] })) {
    const title = r.cells[0].trim();
    const label = r.cells[1].trim();
    if (title === "") throw new DataFileError(file, r.line, "the title is empty");
    if (!known.includes(label)) throw new DataFileError(file, r.line, `${JSON.stringify(label)} is not a class of ${t.name}${didYouMean(label, known)} (the classes are ${known.join("; ")})`);
    const key = exampleKey(title);
    const first = seen.get(key);
    if (first && first.label !== label) throw new DataFileError(file, r.line, `${JSON.stringify(title)} is labelled ${JSON.stringify(first.label)} on line ${first.line} and ${JSON.stringify(label)} here`);
    if (first) continue;
    seen.set(key, { label, line: r.line });
    out.titles.push(title);
    out.labels.push(label);
  }
  if (!out.titles.length) throw new DataFileError(file, null, "holds no labelled titles");
  return out;
}

/** A taxonomy with the labelled titles its `labelled:` line names, read and checked (a missing file names that line). */
export function withLabelledTitles<T extends Taxonomy>(t: T): T & { labelledTitles?: LabelledTitles } {
  if (!t.labelled) return t;
  try {
    return { ...t, labelledTitles: readLabelledTitles(t.labelled.file, t) };
  } catch (e) {
    if (e instanceof DataFileError && e.file === t.labelled.file && /cannot be read/.test(e.problem)) {
      throw new DataFileError(t.file, t.labelled.line, `the labelled-titles file ${t.labelled.file} ${e.problem}`);
    }
    throw e;
  }
}
