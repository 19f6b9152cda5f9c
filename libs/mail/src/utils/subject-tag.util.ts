const TAG = /\[KKD#(\d+)\]/i;
const TAG_ALL = /\s*\[KKD#\d+\]\s*/gi;
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

/** "[KKD#12] 件名" for mail the product sends; prefixes and an existing tag are not repeated. */
export function taggedSubject(number: number, subject: string, prefix = ''): string {
  let bare = normalizeSubject(subject).replace(TAG_ALL, ' ').trim();
  bare = normalizeSubject(bare); // "[KKD#1] Re: 件名" leaves a prefix behind the tag
  return `${prefix}[KKD#${number}] ${bare}`.trim();
}

/** How many characters of `text` make up its first `normalizedLength` characters after NFKC. */
function originalLength(text: string, normalizedLength: number): number {
  for (let i = 1; i <= text.length; i++) {
    if (text.slice(0, i).normalize('NFKC').length >= normalizedLength) return i;
  }
  return text.length;
}
