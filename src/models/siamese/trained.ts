// A trained Siamese model with everything needed to classify: the title encoder, each category type's
// representative examples and the classifier settings. Saved as one run folder:
//   model/ (model.json, weights.bin, siamese-config.json), encoder.json, representatives.json, classifier.json
import * as fs from "fs";
import * as path from "path";
import { writeFileAtomic } from "../../io/atomic";
import { CATEGORY_TYPES, CategoryType, Predictor, SimilarityModel } from "../../core/types";
import { Aggregate, RepresentativeClassifier, Representatives } from "../representatives/classifier";
import { encoderFromJSON, TitleEncoder } from "./encoders";
import { loadSiamese, saveSiamese } from "./io";
import { SiameseModel } from "./model";
import { siameseSimilarity } from "./similarity";

export interface ClassifierSettings {
  aggregate: Aggregate;
  k: number;
  threshold: number;
}

export interface TitleClassification {
  title: string;
  role: { label: string; score: number };
  level: { label: string; score: number };
  industry: { label: string; score: number };
}

export class TrainedSiamese {
  private constructor(
    readonly model: SiameseModel,
    readonly encoder: TitleEncoder,
    readonly representatives: Record<CategoryType, Representatives>,
    readonly settings: ClassifierSettings,
    readonly similarity: SimilarityModel,
    readonly classifiers: Record<CategoryType, RepresentativeClassifier>,
  ) {}

  static async create(
    model: SiameseModel,
    encoder: TitleEncoder,
    representatives: Record<CategoryType, Representatives>,
    settings: ClassifierSettings,
  ): Promise<TrainedSiamese> {
    const similarity = await siameseSimilarity(model, encoder);
    const make = (t: CategoryType): Promise<RepresentativeClassifier> => RepresentativeClassifier.create(similarity, representatives[t], settings);
    const classifiers = { role: await make("role"), level: await make("level"), industry: await make("industry") };
    return new TrainedSiamese(model, encoder, representatives, settings, similarity, classifiers);
  }

  /** Role, level and industry with scores, one entry per title in input order. */
  async classify(titles: readonly string[]): Promise<TitleClassification[]> {
    // Tower outputs are computed once and shared by the three category types.
    const rows = await this.similarity.encode(titles);
    const per = {
      role: this.classifiers.role.predictRows(titles, rows),
      level: this.classifiers.level.predictRows(titles, rows),
      industry: this.classifiers.industry.predictRows(titles, rows),
    };
    return titles.map((title, i) => ({
      title,
      role: { label: per.role[i].label, score: round(per.role[i].score) },
      level: { label: per.level[i].label, score: round(per.level[i].score) },
      industry: { label: per.industry[i].label, score: round(per.industry[i].score) },
    }));
  }

  /** The model as a method of the shared evaluation suite. */
  predictor(name = "siamese"): Predictor {
    return { name, predict: (titles, type) => this.classifiers[type].predict(titles) };
  }

  /** The talk's role table for one title: every class's score, best first. */
  async scoresFor(title: string, type: CategoryType): Promise<{ class: string; score: number }[]> {
    const table = await this.classifiers[type].scoreTable([title]);
    return table.classes.map((c, i) => ({ class: c, score: round(table.scores[i]) })).sort((a, b) => b.score - a.score);
  }

  /** Similarity of one title to each of the candidates. */
  async similarities(title: string, candidates: readonly string[]): Promise<Float32Array> {
    return this.similarity.similarityMatrix(await this.similarity.encode([title]), await this.similarity.encode(candidates));
  }

  async save(dir: string): Promise<void> {
    await saveSiamese(this.model, path.join(dir, "model"));
    writeFileAtomic(path.join(dir, "encoder.json"), JSON.stringify(this.encoder.toJSON()) + "\n");
    const reps = Object.fromEntries(CATEGORY_TYPES.map((t) => [t, Object.fromEntries(this.representatives[t])]));
    writeFileAtomic(path.join(dir, "representatives.json"), JSON.stringify(reps, null, 2) + "\n");
    writeFileAtomic(path.join(dir, "classifier.json"), JSON.stringify(this.settings, null, 2) + "\n");
  }

  static async load(dir: string): Promise<TrainedSiamese> {
    for (const f of ["encoder.json", "representatives.json", "classifier.json", path.join("model", "model.json")]) {
      if (!fs.existsSync(path.join(dir, f))) throw new Error(`${dir} is not a trained Siamese run: ${f} is missing`);
    }
    const model = await loadSiamese(path.join(dir, "model"));
    const encoder = encoderFromJSON(JSON.parse(fs.readFileSync(path.join(dir, "encoder.json"), "utf8")));
    const raw = JSON.parse(fs.readFileSync(path.join(dir, "representatives.json"), "utf8")) as Record<string, Record<string, string[]>>;
    const reps = Object.fromEntries(CATEGORY_TYPES.map((t) => [t, new Map(Object.entries(raw[t] ?? {}))])) as Record<CategoryType, Representatives>;
    const settings = JSON.parse(fs.readFileSync(path.join(dir, "classifier.json"), "utf8")) as ClassifierSettings;
    return TrainedSiamese.create(model, encoder, reps, settings);
  }
}

function round(x: number): number {
  return Math.round(x * 10000) / 10000;
}
