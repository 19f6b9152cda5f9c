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
const CLUSTER = /[\s\S][\u0300-\u036f\u3099\u309a\uff9e\uff9f]*/uy;

/** Marks that NFKC may fold into the character before them. */
const isMark = (c: number) => (c >= 0x300 && c <= 0x36f) || c === 0x3099 || c === 0x309a || c === 0xff9e || c === 0xff9f;
/**
 * Characters that NFKC and lower-casing leave as they are (printable ASCII but capitals, hiragana,
 * katakana, ー, 、。, the common kanji): most of a Japanese mail, copied without normalising.
 */
const isPlain = (c: number) => (c >= 0x21 && c <= 0x7e && !(c >= 0x41 && c <= 0x5a))
  || (c >= 0x3041 && c <= 0x3096) || (c >= 0x30a1 && c <= 0x30fa) || c === 0x30fc || c === 0x3001 || c === 0x3002 || (c >= 0x4e00 && c <= 0x9fff);

/** Normalises and remembers, per resulting unit, the span of the original it came from. */
export function normaliseWithMap(original: string): NormalisedText {
  const spans = { starts: [] as number[], ends: [] as number[] };
  return { text: normalise(original, spans), ...spans };
}

export function normaliseForSearch(text: string): string {
  return normalise(text, null);
}

/**
 * The one normalisation, filling `spans` when given. Plain runs are copied in one slice: the mail
 * texts the intake and the indexer fold are mostly plain.
 */
function normalise(original: string, spans: Omit<NormalisedText, 'text'> | null): string {
  let text = '';
  let at = 0;
  while (at < original.length) {
    let end = at;
    while (end < original.length && isPlain(original.charCodeAt(end)) && !isMark(original.charCodeAt(end + 1))) end++;
    if (end > at) {
      text += original.slice(at, end);
      if (spans) for (let i = at; i < end; i++) { spans.starts.push(i); spans.ends.push(i + 1); }
      at = end;
      continue;
    }
    // Line breaks and spaces need no NFKC either.
    const c = original.charCodeAt(at);
    const asciiSpace = (c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09) && !isMark(original.charCodeAt(at + 1));
    CLUSTER.lastIndex = at;
    const cluster = asciiSpace ? original[at] : (CLUSTER.exec(original) as RegExpExecArray)[0];
    let piece = asciiSpace ? ' ' : cluster.normalize('NFKC').toLowerCase();
    if (/^\s+$/.test(piece)) piece = text.endsWith(' ') ? '' : ' ';
    if (spans) for (let i = 0; i < piece.length; i++) { spans.starts.push(at); spans.ends.push(at + cluster.length); }
    text += piece;
    at += cluster.length;
  }
  return text;
}

/**
 * Japanese legal forms, abbreviated as NFKC leaves them (㈱ and （株） both become (株)), and their
 * long forms. Identity folds the short form to the long one, so a partly typed 株式会 still matches.
 */
const LEGAL_FORM_ABBREVIATIONS: Readonly<Record<string, string>> = {
  '(株)': '株式会社', '(有)': '有限会社', '(同)': '合同会社', '(資)': '合資会社', '(名)': '合名会社', '(社)': '社団法人', '(財)': '財団法人',
};
const LEGAL_FORM_SHORT = /\((?:株|有|同|資|名|社|財)\)/g;
/** Long forms, split off a query term so that the legal form may stand before or after the name. */
const LEGAL_FORM_LONG = new RegExp(`(${[...new Set(Object.values(LEGAL_FORM_ABBREVIATIONS))].join('|')})`);
/** Variant kanji of names that NFKC keeps (髙 and 﨑 are unified ideographs), as their common form. */
const NAME_VARIANTS: Readonly<Record<string, string>> = { '髙': '高', '﨑': '崎', '𠮷': '吉' };
const NAME_VARIANT = /[髙﨑]|𠮷/gu;

/**
 * Identity's extra fold, on text already normalised (normaliseForSearch): legal forms abbreviated
 * as their long form ((株) → 株式会社) and variant kanji of names as the common one (髙﨑 → 高崎).
 * The stored identity text (searchableText) and the query's terms (identityTerms) both go through it.
 */
export function foldIdentity(normalised: string): string {
  return normalised.replace(LEGAL_FORM_SHORT, (f) => LEGAL_FORM_ABBREVIATIONS[f]).replace(NAME_VARIANT, (c) => NAME_VARIANTS[c]);
}

/**
 * Fields of a record as one stored text for identity search to match query terms against with
 * LIKE (identityTerms folds the terms the same way): each field normalised and folded
 * (foldIdentity), one per line, so that a term, which never holds whitespace, matches inside one
 * field only. Empty fields are left out.
 */
export function searchableText(fields: ReadonlyArray<string | null | undefined>): string {
  return fields.map((f) => foldIdentity(normaliseForSearch(f ?? '').trim())).filter(Boolean).join('\n');
}

/** Terms shorter than this cannot use the trigram index: they are matched with LIKE. */
export const TRIGRAM_MIN = 3;
const MAX_TERMS = 8;
const MAX_TERM_LENGTH = 100;

/** The query's terms (split on spaces, 全角スペース included), normalised and de-duplicated. */
export function searchTerms(query: string): string[] {
  // A quote separates terms as a space does (a file name like `a"; filename="x.exe` is still found).
  const terms = normaliseForSearch(query.replace(/"/g, ' ')).split(' ').map((t) => t.slice(0, MAX_TERM_LENGTH)).filter(Boolean);
  return [...new Set(terms)].slice(0, MAX_TERMS);
}

/**
 * The query's terms for identity search (searchTerms, then foldIdentity), a legal form split off as
 * a term of its own: (株)ひまわり精機 finds ひまわり精機株式会社 and ひまわり精機㈱ as every term
 * must occur, wherever in the member's identity.
 */
export function identityTerms(query: string): string[] {
  const terms = searchTerms(query).flatMap((t) => foldIdentity(t).split(LEGAL_FORM_LONG)).filter(Boolean);
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

/** Plain text with the offsets of its matches (each [start, end) in `text`): the API's highlight. */
export interface Excerpt {
  text: string;
  marks: Array<[number, number]>;
}

/** The whole text with its matches (compared normalised). */
export function marked(original: string, terms: string[]): Excerpt {
  return { text: original, marks: matchSpans(original, terms) };
}

/**
 * A window of about `width` characters around the first match (or the start), whitespace runs as
 * one space, with `…` where it was cut, and the matches inside it.
 */
export function excerpt(original: string, terms: string[], width = 120): Excerpt {
  const spans = matchSpans(original, terms);
  const first = spans[0]?.[0] ?? 0;
  const start = Math.max(0, Math.min(first - Math.floor(width / 3), original.length - width));
  const end = Math.min(original.length, start + width);
  let text = start > 0 ? '…' : '';
  const marks: Array<[number, number]> = [];
  let at = start;
  const add = (from: number, to: number, mark: boolean) => {
    const piece = original.slice(from, to).replace(/\s+/g, ' ');
    if (mark) marks.push([text.length, text.length + piece.length]);
    text += piece;
  };
  for (const [s, e] of spans) {
    if (e <= start || s >= end) continue;
    add(at, Math.max(s, start), false);
    add(Math.max(s, start), Math.min(e, end), true);
    at = Math.min(e, end);
  }
  add(at, end, false);
  return { text: end < original.length ? `${text}…` : text, marks };
}

/** An excerpt as HTML: the text escaped, then each match wrapped in <mark> (only after escaping). */
export function excerptHtml({ text, marks }: Excerpt): string {
  let html = '';
  let at = 0;
  for (const [s, e] of marks) {
    html += `${escapeHtml(text.slice(at, s))}<mark>${escapeHtml(text.slice(s, e))}</mark>`;
    at = e;
  }
  return html + escapeHtml(text.slice(at));
}

/** The text escaped for HTML, each match of a term wrapped in <mark> (only after escaping). */
export function highlight(original: string, terms: string[]): string {
  return excerptHtml(marked(original, terms));
}

/** A window of the text around its first match (or its start), escaped and marked. */
export function snippet(original: string, terms: string[], width = 120): string {
  return excerptHtml(excerpt(original, terms, width));
}
