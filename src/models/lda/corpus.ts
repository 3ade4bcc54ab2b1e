// The talk's LDA corpus: a user is a document, and its words are the tokens and di-grams of every title the
// person held ("account_manager") plus their skill tokens ("microsoft_excel"), all kept as they are.
import { tokenize } from "../../text/tokenize";

export function profileDocument(profile: { titles: readonly string[]; tokens: readonly string[] }): string[] {
  const words: string[] = [];
  for (const t of profile.titles) for (const w of tokenize(t)) words.push(w);
  for (const w of profile.tokens) words.push(w);
  return words;
}

export function profileDocuments(profiles: readonly { titles: readonly string[]; tokens: readonly string[] }[]): string[][] {
  return profiles.map(profileDocument);
}
