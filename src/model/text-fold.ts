/**
 * Case folding for text search, the same for every script: what a title
 * column stores folded (`jobs.title_folded`) and what a search term is folded
 * with before it is compared, so both sides are folded alike and the database
 * compares plain code points (SQL's `lower()` folds ASCII only).
 *
 * - compatibility forms become their plain letters (NFKC): `Å` (U+212B ANGSTROM
 *   SIGN) and `A` + combining ring become `Å` (U+00C5), `ﬁ` becomes `fi`,
 *   full-width `Ａ` becomes `A`;
 * - upper then lower case, which folds letters that have no one-to-one lower
 *   case: `ß` and `ẞ` become `ss` (like `SS`), `ᾳ` becomes `αι`;
 * - final sigma `ς` becomes `σ` (JavaScript's `toLowerCase` picks `ς` at the end
 *   of a word, which would make `ΟΣ` miss `ΟΣΟ`);
 * - `İ` (capital I with dot) becomes `i`, like `I` and the dotless `ı`.
 *
 * The result is in NFC, and folding it again changes nothing.
 */
export function foldText(text: string): string {
  // ASCII, the common case, needs only lower case.
  if (ASCII.test(text)) return text.toLowerCase();
  return text.normalize('NFKC').toUpperCase().toLowerCase().replace(SHARP_S, 'ss').replace(FINAL_SIGMA, 'σ').replace(DOTTED_I, 'i').normalize('NFC');
}

const ASCII = /^[\x00-\x7f]*$/;
// `ẞ` (capital sharp s) upper-cases to itself, then lower-cases to `ß`.
const SHARP_S = /ß/g;
const FINAL_SIGMA = /ς/g;
// What `İ` lower-cases to: `i` and U+0307 COMBINING DOT ABOVE.
const DOTTED_I = /i\u0307/g;
