// An ordinal seniority of a title from its words, used to order a simulated career (junior titles first).
// Coarse on purpose: the Level classifiers live in src/models; this only needs "earlier" vs "later".
import { normalizeTitle } from "./normalize";

const RANKS: [RegExp, number][] = [
  [/\b(intern|trainee|apprentice|student|graduate|entry|helper|junior|aide)\b/, 0],
  [/\b(assistant|associate|clerk)\b/, 1],
  [/\b(senior|lead|principal|staff|grade:[3-6])\b/, 3],
  [/\b(supervisor|foreman|manager|coordinator)\b/, 4],
  [/\b(director|head|superintendent)\b/, 5],
  [/\b(vice president|vp|chief|president|partner|owner|founder|ceo|cfo|coo|cto|cio|cmo)\b/, 6],
];

/** 0 (entry) .. 6 (top); 2 for a plain professional title. The highest matching rank wins. */
export function seniorityRank(title: string): number {
  const n = normalizeTitle(title);
  const text = [...n.words, ...n.seniority].join(" ");
  let rank = -1;
  for (const [re, r] of RANKS) if (re.test(text)) rank = Math.max(rank, r);
  return rank < 0 ? 2 : rank;
}
