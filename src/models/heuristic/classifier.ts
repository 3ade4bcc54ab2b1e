// The talk's "before": a classifier made of patterns, keywords and priority rules. It returns the label, a
// confidence, and the rule that fired, for each category type. Two rule sets show the talk's point: `naive`
// (first keyword in class order wins) reproduces the failures the talk lists; `priority` fixes them — with one
// more rule per failure, which is why heuristics do not scale.
import { CategoryType, OTHER, Predictor, Row } from "../../core/types";
import { INDUSTRIES, ROLES } from "../../taxonomy/classes";
import { normKey } from "../../text/normalize";
import { headNouns, levelOf } from "./level-rules";
import { INDUSTRY_RULES, KeywordRule, ROLE_RULES, talkOrder } from "./role-industry-rules";

export interface Decision {
  label: string;
  /** 0 when no rule fired (label Other); otherwise by rule strength (phrase > occupation > function > generic). */
  confidence: number;
  rule: string;
}

export type RuleSet = "naive" | "priority";

const CONFIDENCE = [0.4, 0.6, 0.75, 0.9];

interface Compiled {
  rule: KeywordRule;
  patterns: RegExp[];
}

function compile(rules: KeywordRule[]): Compiled[] {
  return rules.map((rule) => ({
    rule,
    patterns: rule.phrases.map((p) => new RegExp(`(^| )${p.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}( |$)`)),
  }));
}

function decide(key: string, rules: Compiled[], ruleSet: RuleSet): Decision {
  let best: Compiled | null = null;
  for (const c of rules) {
    if (!c.patterns.some((p) => p.test(key))) continue;
    if (ruleSet === "naive") {
      best = c;
      break;
    }
    if (!best || c.rule.priority > best.rule.priority) best = c;
  }
  if (!best) return { label: OTHER, confidence: 0, rule: "none" };
  return { label: best.rule.label, confidence: CONFIDENCE[best.rule.priority] ?? 0.5, rule: best.rule.id };
}

export interface HeuristicOptions {
  ruleSet?: RuleSet;
  /** Training titles, whose head nouns tell job titles from noise for Level (no evaluation data is used). */
  trainingTitles?: Iterable<string>;
}

export class HeuristicClassifier {
  readonly ruleSet: RuleSet;
  private readonly roleRules: Compiled[];
  private readonly industryRules: Compiled[];
  private readonly heads: ReadonlySet<string>;

  constructor(opts: HeuristicOptions = {}) {
    this.ruleSet = opts.ruleSet ?? "priority";
    // The naive set has keywords only (no phrase rules), tried in the talk's class order.
    const roles = this.ruleSet === "naive" ? talkOrder(ROLE_RULES.filter((r) => r.priority < 3 && r.priority > 0), ROLES) : ROLE_RULES;
    this.roleRules = compile(roles);
    this.industryRules = compile(this.ruleSet === "naive" ? talkOrder(INDUSTRY_RULES, INDUSTRIES) : INDUSTRY_RULES);
    this.heads = opts.trainingTitles ? headNouns(opts.trainingTitles) : new Set();
  }

  role(title: string): Decision {
    const d = decide(normKey(title), this.roleRules, this.ruleSet);
    // A recognizable job title that names no function is, in this data, most often hands-on operational work.
    if (d.label === OTHER && this.ruleSet === "priority" && this.isJobTitle(title)) {
      return { label: "Other Operations", confidence: 0.3, rule: "role:fallback:known-job-title" };
    }
    return d;
  }

  /** A title whose level rules find a role word (a known head noun), as opposed to noise. */
  isJobTitle(title: string): boolean {
    return levelOf(title, this.heads).label !== OTHER;
  }

  industry(title: string): Decision {
    return decide(normKey(title), this.industryRules, this.ruleSet);
  }

  level(title: string): Decision {
    const d = levelOf(title, this.heads);
    return { label: d.label, confidence: d.label === OTHER ? 0 : 0.8, rule: d.rule };
  }

  classify(title: string, type: CategoryType): Decision {
    return type === "role" ? this.role(title) : type === "level" ? this.level(title) : this.industry(title);
  }
}

/** The heuristic as a method of the shared evaluation suite (its confidence is the score). */
export function heuristicPredictor(h: HeuristicClassifier, name = `heuristic-${h.ruleSet}`): Predictor {
  return {
    name,
    predict: (titles, type) =>
      titles.map((t) => {
        const d = h.classify(t, type);
        return { label: d.label, score: d.confidence };
      }),
  };
}

/** What each rule set holds: rules per category type and priority. */
export function ruleSummary(): Row[] {
  const names = ["generic words", "function words", "occupation nouns", "phrase rules"];
  const rows: Row[] = [];
  for (const [type, rules] of [["role", ROLE_RULES], ["industry", INDUSTRY_RULES]] as const) {
    for (let p = 3; p >= 0; p--) {
      const rs = rules.filter((r) => r.priority === p);
      if (rs.length) rows.push({ type, priority: p, kind: names[p], rules: rs.length, phrases: rs.reduce((a, r) => a + r.phrases.length, 0), example: rs[0].phrases.slice(0, 4).join(", ") });
    }
  }
  rows.push({ type: "level", priority: null, kind: "ordered rules from data/gold/level-guide.md", rules: null, phrases: null, example: "head noun, modifiers, then the head's class" });
  return rows;
}
