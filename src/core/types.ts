// The shapes every layer shares: what a method answers, what a similarity model computes, what a ranking method
// scores, what a parameter holds. This module imports nothing from the project, so that any folder may depend on it
// without depending on another folder (docs/ARCHITECTURE.md gives the order of the layers).

/** The talk's three category types. */
export type CategoryType = "role" | "level" | "industry";
export const CATEGORY_TYPES: readonly CategoryType[] = ["role", "level", "industry"];

/** The label every category type uses for "none of the classes" (and for scores below the threshold). */
export const OTHER = "Other";

/** Why a label was given: a labelled title (a training neighbour or a representative example) and its similarity. */
export interface Evidence {
  title: string;
  label: string;
  similarity: number;
}

/** A method's answer for one title and one category type. */
export interface Labelled {
  label: string;
  score: number;
  /** The best class ignoring any threshold (defaults to label). */
  best?: string;
  /** The labelled titles behind the answer, most similar first (methods that compare titles). */
  evidence?: Evidence[];
  /** Why the answer is Other when no class was even tried (an empty, unreadable or unknown-word title). */
  abstained?: string;
  /** The title as the method read it, when cleaning changed it ("Sr. SWE @ Acme" → "Senior Software Engineer"). */
  cleaned?: string;
}

/**
 * How a method's similarities or vectors become labels: the talk's representative examples, a vote of the nearest
 * labelled training titles, a trained softmax head, or a method's own rules (heuristic) or topics (LDA).
 */
export type Protocol = "representatives" | "neighbours" | "head" | "rules" | "topics" | "vote";
export const PROTOCOLS: readonly Protocol[] = ["representatives", "neighbours", "head", "rules", "topics", "vote"];

/** Per-class scores of titles: row-major [titles × classes], with optional evidence per title. */
export interface ScoreTable {
  classes: string[];
  scores: Float32Array;
  evidence?: Evidence[][];
}

/** A classification method, as the shared evaluation suite sees it. */
export interface Predictor {
  name: string;
  /** The category types the method predicts (default all); the others are reported as not applicable. */
  types?: CategoryType[];
  /** True when scores are probabilities of being right, fitted on dev (the suite then reports their calibration). */
  calibrated?: boolean;
  predict(titles: readonly string[], type: CategoryType): Labelled[] | Promise<Labelled[]>;
}

/**
 * What every similarity method hands to the classifiers: titles become rows of numbers (`encode`), and a similarity
 * compares rows. Embedding methods use cosine (rows L2-normalized, similarity = dot product); the Siamese model
 * uses its own learned merge.
 */
export interface SimilarityModel {
  name: string;
  dim: number;
  /** Row-major [titles.length × dim]. Asynchronous: GPU backends can only read results back asynchronously. */
  encode(titles: readonly string[]): Promise<Float32Array>;
  /**
   * Similarities of every row of A to every row of B: row-major [nA × nB]. Rows are never changed in place once
   * encoded: a model may keep what it derived from the last B (the representatives, a ranking corpus) for the next call.
   */
  similarityMatrix(A: Float32Array, B: Float32Array): Float32Array;
}

/** A ranking method scores every corpus element for a query; MELO's `prepare` has already been applied to both. */
export interface RankingScorer {
  scoreAll(query: string, out: Float64Array): Float64Array | Promise<Float64Array>;
}

export interface RankingMethod {
  name: string;
  build(corpus: readonly string[]): Promise<RankingScorer> | RankingScorer;
}

/** A notebook or training parameter, typed from its text as papermill does: number, boolean, JSON, else string. */
export type ParamValue = string | number | boolean | null | unknown[] | Record<string, unknown>;

/** One row of a table shown in a notebook or a report. */
export type Row = Record<string, string | number | boolean | null | undefined>;
