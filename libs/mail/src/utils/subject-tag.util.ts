const TAG = /\[KKD#(\d+)\]/i;

/** The consult number tagged in a subject, if any. */
export function consultNumberInSubject(subject: string): number | null {
  const m = TAG.exec(subject);
  return m ? Number(m[1]) : null;
}

/** "[KKD#12] 件名" for mail the product sends; an existing tag is not repeated. */
export function taggedSubject(number: number, subject: string, prefix = ''): string {
  const bare = subject.replace(/\s*\[KKD#\d+\]\s*/gi, ' ').trim();
  return `${prefix}[KKD#${number}] ${bare}`.trim();
}
