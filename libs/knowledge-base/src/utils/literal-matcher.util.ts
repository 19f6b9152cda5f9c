import { foldWidth } from './text-fold.util';

/** Lower case for ASCII only, so that every offset stays where it was. */
export function asciiLower(text: string): string {
  return text.replace(/[A-Z]/g, (c) => String.fromCharCode(c.charCodeAt(0) + 32));
}

const WORD = /[A-Za-z0-9_-]/;

/**
 * Finds many literals (every member's company, name, club ID …) in one pass over the text:
 * candidates are looked up by their first two characters, so thousands of members cost no more
 * than a few. (A regex alternation of thousands of names backtracks through every branch at
 * every position.) Literals are compared width-folded and ASCII-lower-cased, with a space inside
 * them matching one space or none.
 */
export class LiteralMatcher {
  private readonly buckets = new Map<string, string[]>();

  constructor(literals: string[], minLength = 2, private readonly wordBounded = false) {
    const variants = new Set<string>();
    for (const literal of literals) {
      const base = asciiLower(foldWidth(literal)).trim().replace(/\s+/g, ' ');
      for (const v of [base, base.replace(/ /g, '')]) if (v.length >= minLength) variants.add(v);
    }
    for (const v of variants) {
      const key = v.slice(0, 2);
      const bucket = this.buckets.get(key) ?? [];
      bucket.push(v);
      this.buckets.set(key, bucket);
    }
    for (const bucket of this.buckets.values()) bucket.sort((a, b) => b.length - a.length);
  }

  get empty(): boolean {
    return this.buckets.size === 0;
  }

  /** Leftmost-longest, non-overlapping matches in a width-folded text, as [start, end). */
  find(folded: string): Array<[number, number]> {
    const text = asciiLower(folded);
    const out: Array<[number, number]> = [];
    for (let i = 0; i < text.length - 1; i++) {
      const bucket = this.buckets.get(text.slice(i, i + 2));
      if (!bucket) continue;
      const hit = bucket.find((v) => text.startsWith(v, i) && (!this.wordBounded || (!WORD.test(text[i - 1] ?? '') && !WORD.test(text[i + v.length] ?? ''))));
      if (!hit) continue;
      out.push([i, i + hit.length]);
      i += hit.length - 1;
    }
    return out;
  }
}
