// The talk's Step 0: one canonical form per title. Lower-case, ASCII-fold Latin accents (other scripts are kept),
// `&` -> "and", `/` and punctuation -> space, and seniority markers (Jr/Sr/Senior/Junior, grade numerals) pulled
// out as a separate signal so that "Sr. Java Developer" and "Java Developer" share their core words.

/** Lower-case and fold accents (NFKD, combining marks dropped), as MELO's protocol does for Latin text. */
export function foldText(s: string): string {
  // Only marks on Latin letters are dropped: "й" or "ї" keep theirs, since there they change the letter.
  return s.normalize("NFKD").replace(/([A-Za-z])[\u0300-\u036f]+/g, "$1").normalize("NFC").toLowerCase();
}

const SENIORITY: Record<string, string> = {
  jr: "junior",
  jnr: "junior",
  junior: "junior",
  sr: "senior",
  snr: "senior",
  senior: "senior",
};
// Grades like "Engineer II" or "L3 Support": the numeral is a seniority signal, not part of the job.
const ROMAN: Record<string, number> = { i: 1, ii: 2, iii: 3, iv: 4, v: 5, vi: 6 };
const LEVEL_CODE = /^l([1-9])$/;

export interface NormalizedTitle {
  /**
   * Every word, space-joined, with seniority markers spelled out ("sr" -> "senior"): the key used to deduplicate
   * titles and to keep test titles out of training.
   */
  norm: string;
  words: string[];
  /** Words without seniority markers. */
  core: string[];
  /** Canonical markers found: "junior", "senior", "grade:2", ... */
  seniority: string[];
}

/** Splits a title into normalized words. Keeps c++, c#, f# and .net ("dotnet"), which punctuation would erase. */
export function words(title: string): string[] {
  let s = foldText(title);
  s = s.replace(/&/g, " and ");
  s = s.replace(/(^|[^a-z0-9])\.net\b/g, "$1 dotnet ");
  s = s.replace(/\b([a-z])(\+\+|#)/g, (_m, a: string, b: string) => ` ${a}${b === "#" ? "#" : "++"} `);
  // Anything that is not a letter, digit or a kept +/# becomes a separator. \p{L}/\p{N} keep non-Latin scripts.
  s = s.replace(/[^\p{L}\p{N}+#]+/gu, " ");
  return s
    .split(" ")
    .filter(Boolean)
    .map((w) => (/^[a-z]\+\+$|^[a-z]#$/.test(w) ? w : w.replace(/[+#]/g, "")))
    .filter(Boolean);
}

export function normalizeTitle(title: string): NormalizedTitle {
  const ws = words(title);
  const core: string[] = [];
  const seniority: string[] = [];
  ws.forEach((w, i) => {
    const s = SENIORITY[w];
    // A roman numeral counts as a grade only after the first word ("Engineer II"), never as "I" alone.
    const roman = i > 0 && ws.length > 1 ? ROMAN[w] : undefined;
    const lv = LEVEL_CODE.exec(w);
    if (s) seniority.push(s);
    else if (roman !== undefined) seniority.push(`grade:${roman}`);
    else if (lv) seniority.push(`grade:${lv[1]}`);
    else core.push(w);
  });
  return { norm: canonical(ws), words: ws, core, seniority };
}

// "Sr Accountant" and "Senior Accountant" are the same title: markers are spelled out in the key.
function canonical(ws: string[]): string {
  return ws.map((w) => SENIORITY[w] ?? w).join(" ");
}

/** The canonical key of a title (normalizeTitle(title).norm). */
export function normKey(title: string): string {
  return canonical(words(title));
}
