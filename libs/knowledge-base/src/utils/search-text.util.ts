/**
 * Text as the FAQ search compares it: NFKC (full-width Ｅｍｏｔｅｔ and half-width ｴﾓﾃｯﾄ become
 * Emotet and エモテット), lower case, whitespace runs as one space. The same function folds the
 * indexed text and the query, so both always agree.
 */
export interface NormalisedText {
  text: string;
  /** Per UTF-16 unit of `text`: where its source character starts in the original. */
  starts: number[];
  /** Per unit: where its source character ends in the original (exclusive). */
  ends: number[];
}

/** A character with the marks that NFKC may fold into it (dakuten, half-width ﾞﾟ, combining accents). */
const CLUSTER = /[\s\S][\u0300-\u036f\u3099\u309a\uff9e\uff9f]*/gu;

/** Normalises and remembers, per resulting unit, the span of the original it came from. */
export function normaliseWithMap(original: string): NormalisedText {
  let text = '';
  const starts: number[] = [];
  const ends: number[] = [];
  for (const m of original.matchAll(CLUSTER)) {
    let piece = m[0].normalize('NFKC').toLowerCase();
    if (/^\s+$/.test(piece)) {
      if (text.endsWith(' ')) continue;
      piece = ' ';
    }
    for (let i = 0; i < piece.length; i++) {
      starts.push(m.index);
      ends.push(m.index + m[0].length);
    }
    text += piece;
  }
  return { text, starts, ends };
}

export function normaliseForSearch(text: string): string {
  return normaliseWithMap(text).text;
}

/** Terms shorter than this cannot use the trigram index: they are matched with LIKE. */
export const TRIGRAM_MIN = 3;
const MAX_TERMS = 8;
const MAX_TERM_LENGTH = 100;

/** The query's terms (split on spaces, 全角スペース included), normalised and de-duplicated. */
export function searchTerms(query: string): string[] {
  const terms = normaliseForSearch(query).split(' ').map((t) => t.replace(/["]/g, '').slice(0, MAX_TERM_LENGTH)).filter(Boolean);
  return [...new Set(terms)].slice(0, MAX_TERMS);
}

/** A term as an FTS5 phrase: with the trigram tokenizer it matches the term as a substring. */
export function ftsPhrase(term: string): string {
  return `"${term.replace(/"/g, '""')}"`;
}

/** An FTS5 query that finds every long term (a quoted trigram phrase each). */
export function ftsExpression(terms: string[]): string | null {
  const long = terms.filter((t) => t.length >= TRIGRAM_MIN);
  return long.length ? long.map(ftsPhrase).join(' AND ') : null;
}

/** A LIKE pattern (ESCAPE '\') finding the term anywhere. */
export function likePattern(term: string): string {
  return `%${term.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"'`=]/g, (c) => `&#${c.charCodeAt(0)};`);
}

/** Spans of the original text where a term occurs (compared normalised), merged and sorted. */
export function matchSpans(original: string, terms: string[]): Array<[number, number]> {
  const { text, starts, ends } = normaliseWithMap(original);
  const spans: Array<[number, number]> = [];
  for (const term of terms) {
    if (!term) continue;
    for (let at = text.indexOf(term); at !== -1; at = text.indexOf(term, at + term.length)) {
      spans.push([starts[at], ends[at + term.length - 1]]);
    }
  }
  spans.sort((a, b) => a[0] - b[0]);
  const merged: Array<[number, number]> = [];
  for (const s of spans) {
    const last = merged[merged.length - 1];
    if (last && s[0] <= last[1]) last[1] = Math.max(last[1], s[1]);
    else merged.push([...s]);
  }
  return merged;
}

/** The text escaped for HTML, each match of a term wrapped in <mark> (only after escaping). */
export function highlight(original: string, terms: string[]): string {
  return markSpans(original, matchSpans(original, terms), 0, original.length);
}

/** A window of the text around its first match (or its start), escaped and marked. */
export function snippet(original: string, terms: string[], width = 120): string {
  const spans = matchSpans(original, terms);
  const first = spans[0]?.[0] ?? 0;
  const start = Math.max(0, Math.min(first - Math.floor(width / 3), original.length - width));
  const end = Math.min(original.length, start + width);
  const html = markSpans(original, spans, start, end).replace(/\s+/g, ' ');
  return `${start > 0 ? '…' : ''}${html}${end < original.length ? '…' : ''}`;
}

function markSpans(original: string, spans: Array<[number, number]>, from: number, to: number): string {
  let html = '';
  let at = from;
  for (const [s, e] of spans) {
    if (e <= from || s >= to) continue;
    const start = Math.max(s, from);
    const end = Math.min(e, to);
    html += `${escapeHtml(original.slice(at, start))}<mark>${escapeHtml(original.slice(start, end))}</mark>`;
    at = end;
  }
  return html + escapeHtml(original.slice(at, to));
}
