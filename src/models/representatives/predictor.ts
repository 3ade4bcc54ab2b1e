// Any similarity model as a method of the evaluation suite: role and industry examples chosen from the training
// titles, Level from the talk's pinned groups, the talk's max-aggregate and 0.5 threshold unless told otherwise.
import { CategoryType, Predictor, SimilarityModel } from "../../core/types";
import { LabelledTitle } from "../../datasets/labelled";
import { chooseRepresentatives, ClassifierOptions, levelRepresentatives, RepresentativeClassifier, Representatives } from "./classifier";

export interface RepresentativePredictor extends Predictor {
  classifiers: Record<CategoryType, RepresentativeClassifier>;
  representatives: Record<CategoryType, Representatives>;
}

export async function representativePredictor(
  model: SimilarityModel,
  train: readonly LabelledTitle[],
  opts: ClassifierOptions & { perClass?: number; name?: string; representatives?: Partial<Record<CategoryType, Representatives>> } = {},
): Promise<RepresentativePredictor> {
  const representatives: Record<CategoryType, Representatives> = {
    role: opts.representatives?.role ?? chooseRepresentatives(train, "role", { perClass: opts.perClass }),
    industry: opts.representatives?.industry ?? chooseRepresentatives(train, "industry", { perClass: opts.perClass }),
    level: opts.representatives?.level ?? levelRepresentatives(),
  };
  const classifiers = {
    role: await RepresentativeClassifier.create(model, representatives.role, opts),
    level: await RepresentativeClassifier.create(model, representatives.level, opts),
    industry: await RepresentativeClassifier.create(model, representatives.industry, opts),
  };
  return {
    name: opts.name ?? model.name,
    classifiers,
    representatives,
    predict: (titles, type) => classifiers[type].predict(titles),
  };
}
