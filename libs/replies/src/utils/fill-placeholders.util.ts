import { formatJst } from '@kkd/core';

/**
 * The placeholders a canned reply may use, in the order the console documents them. Each one is a
 * fact an expert may already see: the member's nickname and club ID, never their identity.
 */
export const PLACEHOLDERS = [
  { name: 'ニックネーム', meaning: '会員のニックネーム（例: ひまわり）' },
  { name: '会員ID', meaning: '会員のＣＳ＠Ｔ倶楽部ID（例: CST-00123）' },
  { name: '受付番号', meaning: '相談の受付番号（例: KKD#12）' },
  { name: '回答期限', meaning: '回答を待っている会員メールの回答期限（例: 2026/11/26(木) 17:00）。なければ「なし」' },
  { name: '担当者名', meaning: '回答する担当者（あなた）の名前' },
] as const;

export type PlaceholderName = (typeof PLACEHOLDERS)[number]['name'];
export type PlaceholderValues = Record<PlaceholderName, string>;

/** What the placeholders are filled from. */
export interface PlaceholderFacts {
  nickname: string;
  clubId: string;
  consultNumber: number;
  dueAt: Date | null;
  expertName: string;
}

/**
 * `{名前}`, also typed with full-width braces `｛名前｝` (a Japanese input method's default). Only
 * a word in braces is a placeholder: a code sample such as `{ return 1; }` is text.
 */
const PLACEHOLDER = /[{｛]([\p{L}\p{N}_・]{1,20})[}｝]/gu;
const KNOWN = new Set<string>(PLACEHOLDERS.map((p) => p.name));

const normalizeName = (name: string) => name.normalize('NFKC');

export function placeholderValues(facts: PlaceholderFacts): PlaceholderValues {
  return {
    ニックネーム: facts.nickname,
    会員ID: facts.clubId,
    受付番号: `KKD#${facts.consultNumber}`,
    回答期限: facts.dueAt ? formatJst(facts.dueAt) : 'なし',
    担当者名: facts.expertName,
  };
}

/**
 * Fills every known placeholder in one pass (a value that itself looks like a placeholder is not
 * filled again); anything else in braces is left as written for the expert to see and fix.
 */
export function fillPlaceholders(text: string, values: PlaceholderValues): string {
  return text.replace(PLACEHOLDER, (whole, name: string) => {
    const key = normalizeName(name);
    return KNOWN.has(key) ? values[key as PlaceholderName] : whole;
  });
}

/** The placeholders in a text that are not known (each once, as written), for a form's message. */
export function unknownPlaceholders(text: string): string[] {
  const found = [...text.matchAll(PLACEHOLDER)].filter((m) => !KNOWN.has(normalizeName(m[1]))).map((m) => m[0]);
  return [...new Set(found)];
}
