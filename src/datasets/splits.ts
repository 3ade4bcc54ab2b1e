// The role/industry splits. Test: half of the distinct titles that real job holders reported to O*NET, chosen by a
// seeded hash of the normalized title. Dev: a seeded 10% of the remaining labelled titles. Train: the rest.
// A test title is removed from every other source by its normalized key, so no test title is ever trained on.
import { onetCrosswalk, roleForTitle } from "../taxonomy/crosswalk";
import { hashUnit } from "../util/random";
import { LabelledTitle, TitleUniverse } from "./labelled";

export interface SplitConfig {
  seed: number;
  /** Share of the reported titles drawn into the test split. */
  testShare: number;
  /** Share of the remaining titles drawn into dev. */
  devShare: number;
}

export const DEFAULT_SPLIT_CONFIG: SplitConfig = { seed: 20170901, testShare: 0.5, devShare: 0.1 };

export interface Splits {
  config: SplitConfig;
  train: LabelledTitle[];
  dev: LabelledTitle[];
  /** Test titles carry the role and industry of their O*NET occupations (industry null when they disagree). */
  test: LabelledTitle[];
  /** Drawn for test but left out because their O*NET occupations map to different roles. */
  testAmbiguous: LabelledTitle[];
}

function distinct<T>(xs: T[]): T[] {
  return [...new Set(xs)];
}

export function makeSplits(universe: TitleUniverse, config: SplitConfig = DEFAULT_SPLIT_CONFIG): Splits {
  const onetX = onetCrosswalk();
  const train: LabelledTitle[] = [];
  const dev: LabelledTitle[] = [];
  const test: LabelledTitle[] = [];
  const testAmbiguous: LabelledTitle[] = [];
  for (const t of universe.titles.values()) {
    const drawnForTest = universe.reported.has(t.norm) && hashUnit(t.norm, config.seed, "test") < config.testShare;
    if (drawnForTest) {
      // The test label comes from the O*NET occupations the title is listed under (ONS is another taxonomy).
      const codes = t.groups.filter((g) => g.startsWith("onet:")).map((g) => g.slice(5));
      const roles = distinct(codes.map((c) => roleForTitle(t.norm, onetX.get(c)!.role)));
      const industries = distinct(codes.map((c) => onetX.get(c)!.industry));
      const item: LabelledTitle = {
        ...t,
        roles,
        role: roles.length === 1 ? roles[0] : null,
        industries,
        industry: industries.length === 1 ? industries[0] : null,
      };
      (item.role ? test : testAmbiguous).push(item);
    } else if (hashUnit(t.norm, config.seed, "dev") < config.devShare) {
      dev.push(t);
    } else {
      train.push(t);
    }
  }
  return { config, train, dev, test, testAmbiguous };
}

/** Keys that must never appear in training data: every title drawn for test, ambiguous ones included. */
export function heldOutKeys(splits: Splits): Set<string> {
  return new Set([...splits.test, ...splits.testAmbiguous].map((t) => t.norm));
}
