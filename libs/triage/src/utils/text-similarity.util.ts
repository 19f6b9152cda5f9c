import { normalizeForMatch } from './normalize-text.util';

/** Enough of a mail to tell what it is about; quoted history and long logs further down are left out. */
const MAX_CHARS = 4_000;

/**
 * Character bigrams of a text for "similar past consults" and "possible duplicate": bigrams need
 * no word segmentation, which Japanese lacks. The text is normalised (so full-width and
 * half-width forms agree), whitespace removed (line wrapping must not matter), and only its first
 * 4,000 characters (code points, after that) are used, so comparing against many past consults
 * stays cheap. A one-character text yields that character, so it can still equal itself.
 */
export function textShingles(text: string): Set<string> {
  const chars: string[] = [];
  // normalizeForMatch leaves single spaces as the only whitespace; for..of walks code points.
  for (const char of normalizeForMatch(text)) {
    if (char === ' ') continue;
    if (chars.push(char) === MAX_CHARS) break;
  }
  if (chars.length === 1) return new Set(chars);
  const shingles = new Set<string>();
  for (let i = 1; i < chars.length; i++) shingles.add(chars[i - 1] + chars[i]);
  return shingles;
}

/** Dice coefficient 2|A∩B| / (|A|+|B|), 0..1; two empty sets share nothing, so 0. */
export function similarity(a: Set<string>, b: Set<string>): number {
  if (a.size + b.size === 0) return 0;
  const [small, large] = a.size <= b.size ? [a, b] : [b, a];
  let shared = 0;
  for (const s of small) if (large.has(s)) shared++;
  return (2 * shared) / (a.size + b.size);
}
