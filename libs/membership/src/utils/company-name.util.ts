import { companyCore, LEGAL_FORM } from './identity-patterns.util';
import { LiteralMatcher } from './literal-matcher.util';
import { foldWidth } from './text-fold.util';
import { MaskHit } from './text-mask.util';

/** A legal form right before or right after a company's core name. */
const LEGAL_BEFORE = new RegExp(`${LEGAL_FORM}[ ]?$`, 'i');
const LEGAL_AFTER = new RegExp(`^[ ]?${LEGAL_FORM}`, 'i');

/** A Latin name registered beside the Japanese one: ひまわり精機株式会社（Himawari Seiki Co., Ltd.）, ひまわり精機 / Himawari Seiki. */
const ROMANISED_PART = /^(.*[^\sA-Za-z].*?)\s*(?:[(（]\s*([A-Za-z][A-Za-z0-9&.,' -]*?)\s*[)）]|[/／]\s*([A-Za-z][A-Za-z0-9&.,' -]*?))\s*$/;

/** A registered company's Japanese and Latin names, when it holds both; else the name as registered. */
export function companyNameForms(company: string): string[] {
  const m = ROMANISED_PART.exec(company);
  const latin = m?.[2] ?? m?.[3];
  return m && latin && /[A-Za-z]{3,}/.test(latin) ? [m[1].trim(), latin] : [company];
}

/** The names to look for: each company as registered (each of its names) and without its legal form. */
export function companyLiterals(companies: string[]): string[] {
  const names = companies.map((c) => foldWidth(c).trim()).filter(Boolean).flatMap(companyNameForms);
  return [...new Set([...names, ...names.map(companyCore)])].filter(Boolean);
}

/** A company's span in a width-folded text, widened to a legal form right before or after it. */
export function widenToLegalForm(folded: string, start: number, end: number): [number, number] {
  const before = LEGAL_BEFORE.exec(folded.slice(Math.max(0, start - 12), start));
  const after = LEGAL_AFTER.exec(folded.slice(end, end + 12));
  return [start - (before?.[0].length ?? 0), end + (after?.[0].length ?? 0)];
}

/** Companies as written with or without their legal form: ひまわり精機, (株)ひまわり精機, ひまわり精機株式会社, ＨＩＭＡＷＡＲＩ. */
export function companyMatcher(companies: string[]): LiteralMatcher {
  return new LiteralMatcher(companyLiterals(companies), 2);
}

/** The spans of those companies in a width-folded text, each widened to a legal form beside it. */
export function companyHits(folded: string, matcher: LiteralMatcher): MaskHit<'company'>[] {
  return matcher.find(folded).map(([s, e]) => {
    const [start, end] = widenToLegalForm(folded, s, e);
    return { start, end, kind: 'company' as const };
  });
}
