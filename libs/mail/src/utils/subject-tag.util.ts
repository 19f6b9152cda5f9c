const TAG = /\[KKD#(\d+)\]/i;
/** Every [KKD#n] tag, half- or full-width ([KKD#1], ［ＫＫＤ＃１］), with the spaces around it. */
const TAG_ALL = /\s*[[［][KＫ][KＫ][DＤ][#＃][0-9０-９]+[\]］]\s*/gi;
// Reply and forward prefixes of Japanese and Western clients, repeated, with or without a space,
// after NFKC has made full-width forms (Ｒｅ：) half-width; "Re[2]:" and "Re^2:" counters too.
const PREFIX = /^\s*(?:(?:re|fw|fwd)(?:\[\d+\]|\^\d+)?|返信|転送|答复|回复)\s*:\s*/i;

/** The consult number tagged in a subject, if any. */
export function consultNumberInSubject(subject: string): number | null {
  const m = TAG.exec(subject.normalize('NFKC'));
  return m ? Number(m[1]) : null;
}

/** A subject without leading reply/forward prefixes: "Ｒｅ： 返信:RE: 件名" → "件名". */
export function normalizeSubject(subject: string): string {
  let rest = subject.trim();
  for (;;) {
    const m = PREFIX.exec(rest.normalize('NFKC'));
    if (!m) return rest;
    // Cut as many characters of the original as the prefix took after normalisation.
    rest = rest.slice(originalLength(rest, m[0].length)).trim();
  }
}

/**
 * A subject without reply/forward prefixes and without any [KKD#n] tag: "Re: [KKD#1] Re: 件名" →
 * "件名". A new consult's subject (a tag there is another member's number or none) and the base
 * of the subjects the product sends.
 */
export function bareSubject(subject: string): string {
  // "[KKD#1] Re: 件名" leaves a prefix behind the tag.
  return normalizeSubject(normalizeSubject(subject).replace(TAG_ALL, ' ').trim());
}

/** "[KKD#12] 件名" for mail the product sends; prefixes and an existing tag are not repeated. */
export function taggedSubject(number: number, subject: string, prefix = ''): string {
  return `${prefix}[KKD#${number}] ${bareSubject(subject)}`.trim();
}

/** How many characters of `text` make up its first `normalizedLength` characters after NFKC. */
function originalLength(text: string, normalizedLength: number): number {
  for (let i = 1; i <= text.length; i++) {
    if (text.slice(0, i).normalize('NFKC').length >= normalizedLength) return i;
  }
  return text.length;
}
