// The key a title is scored under: the same title written with other spacing is one title. Only ASCII whitespace is
// folded (runs of spaces, tabs and line breaks become one space, ends trimmed), so the key never changes what a model
// reads beyond spacing; case and punctuation stay, since the models read them.
const WHITESPACE = /[ \t\n\r\f\v]+/g;

export function titleKey(title: string): string {
  return title.replace(WHITESPACE, " ").trim();
}
