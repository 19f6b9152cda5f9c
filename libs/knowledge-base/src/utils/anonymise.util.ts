import { signatureBlocks } from './signature-block.util';
import {
  ADDRESS, companyCore, EMAIL, HONORIFIC, HOST, hostOfUrl, IPV4, isPhoneDigits, isPlausibleName, isPrivateIpv4, LABELLED_NAME, LEGAL_FORM,
  normaliseIndicator, OTHER_COMPANY, PHONE, POSTAL, SELF_INTRO, SIGN_OFF, SIGNATURE_NAME_LINE, URL,
} from './identity-patterns.util';
import { LiteralMatcher } from './literal-matcher.util';
import { foldWidth } from './text-fold.util';

export const REPLACEMENT_KINDS = [
  'email', 'url', 'host', 'ip', 'postal_code', 'phone', 'address', 'club_id', 'nickname', 'company', 'other_company', 'person',
] as const;
export type ReplacementKind = (typeof REPLACEMENT_KINDS)[number];

export const REPLACEMENT_TOKENS: Record<ReplacementKind, string> = {
  email: '〔メールアドレス〕', url: '〔URL〕', host: '〔ホスト名〕', ip: '〔IPアドレス〕', postal_code: '〔郵便番号〕', phone: '〔電話番号〕',
  address: '〔住所〕', club_id: '〔会員ID〕', nickname: '〔ニックネーム〕', company: '〔会社名〕', other_company: '〔会社名〕', person: '〔氏名〕',
};
export const REPLACEMENT_LABELS: Record<ReplacementKind, string> = {
  email: 'メールアドレス', url: 'URL', host: 'ホスト名', ip: 'IPアドレス', postal_code: '郵便番号', phone: '電話番号', address: '住所',
  club_id: '会員ID', nickname: 'ニックネーム', company: '会員の会社名', other_company: '会社名（会員以外）', person: '氏名',
};
/** Every token, for finding them again in an edited text. */
export const TOKEN_PATTERN = /〔(?:メールアドレス|URL|ホスト名|IPアドレス|郵便番号|電話番号|住所|会員ID|ニックネーム|会社名|氏名)〕/g;

/**
 * What identifies members, read from the members table (every member, not only the one who
 * asked) and from the consult: the asking member's nickname and the addresses their mails named.
 */
export interface IdentityContext {
  /** The asking member's nickname. */
  nickname: string | null;
  clubIds: string[];
  companies: string[];
  personNames: string[];
  /** Domains of members' email addresses (free-mail providers left out); subdomains count too. */
  domains: string[];
  /** Members' registered addresses (phone numbers and postal codes are found by pattern). */
  addresses: string[];
  /** Public IPv4 addresses named in the member's own mails (their hosts unless kept). */
  memberIps: string[];
  /** Public indicators of compromise an expert marked to keep (IPs, URLs, hosts, addresses). */
  keep: string[];
}

export interface Replacement {
  kind: ReplacementKind;
  original: string;
  token: string;
}

export interface Anonymised {
  text: string;
  replacements: Replacement[];
}

interface Hit {
  start: number;
  end: number;
  kind: ReplacementKind;
}

type Finder = (folded: string, ctx: Prepared) => Hit[];

interface Prepared extends IdentityContext {
  keepSet: Set<string>;
  memberIpSet: Set<string>;
  literals: { clubIds: LiteralMatcher; nickname: LiteralMatcher; companies: LiteralMatcher; persons: LiteralMatcher; addresses: LiteralMatcher };
}

const TOKEN = /〔[^〔〕\n]{1,10}〕/g;

function hits(re: RegExp, folded: string, kind: ReplacementKind, accept: (m: RegExpExecArray) => boolean = () => true): Hit[] {
  const out: Hit[] = [];
  for (const m of folded.matchAll(re)) {
    if (!accept(m)) continue;
    // The first participating group is the part replaced (a name after its label), else the whole match.
    const group = m.indices!.slice(1).find((g) => g !== undefined);
    const [start, end] = group ?? m.indices![0]!;
    if (end > start) out.push({ start, end, kind });
  }
  return out;
}

/** A member's company as written with or without its legal form: ひまわり精機, (株)ひまわり精機, ひまわり精機株式会社. */
const LEGAL_BEFORE = new RegExp(`${LEGAL_FORM}[ ]?$`, 'i');
const LEGAL_AFTER = new RegExp(`^[ ]?${LEGAL_FORM}`, 'i');

function companyMatcher(companies: string[]): LiteralMatcher {
  const names = companies.map((c) => foldWidth(c).trim()).filter(Boolean);
  return new LiteralMatcher([...names, ...names.map(companyCore)], 2);
}

function companyHits(folded: string, matcher: LiteralMatcher): Hit[] {
  return matcher.find(folded).map(([start, end]) => {
    const before = LEGAL_BEFORE.exec(folded.slice(Math.max(0, start - 12), start));
    const after = LEGAL_AFTER.exec(folded.slice(end, end + 12));
    return { start: start - (before?.[0].length ?? 0), end: end + (after?.[0].length ?? 0), kind: 'company' as const };
  });
}

const literalHits = (matcher: LiteralMatcher, folded: string, kind: ReplacementKind): Hit[] => matcher.find(folded).map(([start, end]) => ({ start, end, kind }));

export function prepare(ctx: IdentityContext): Prepared {
  return {
    ...ctx,
    domains: ctx.domains.map((d) => d.toLowerCase()),
    keepSet: new Set(ctx.keep.map(normaliseIndicator).filter(Boolean)),
    memberIpSet: new Set(ctx.memberIps.map(normaliseIndicator)),
    literals: {
      clubIds: new LiteralMatcher(ctx.clubIds, 3, true),
      nickname: new LiteralMatcher(ctx.nickname ? [ctx.nickname] : [], 2),
      companies: companyMatcher(ctx.companies),
      persons: new LiteralMatcher(ctx.personNames, 2),
      addresses: new LiteralMatcher(ctx.addresses, 4),
    },
  };
}

const isMemberHost = (host: string, ctx: Prepared) => ctx.domains.some((d) => host === d || host.endsWith(`.${d}`));
const kept = (value: string, ctx: Prepared) => ctx.keepSet.has(normaliseIndicator(value));

/** The passes, in order: what an earlier pass replaced is a token no later pass touches. */
const FINDERS: Finder[] = [
  (f, ctx) => hits(EMAIL, f, 'email', (m) => {
    const host = normaliseIndicator(m[0]).split('@')[1] ?? '';
    return isMemberHost(host, ctx) || !kept(m[0], ctx);
  }),
  (f, ctx) => hits(URL, f, 'url', (m) => isMemberHost(hostOfUrl(m[0]), ctx)),
  (f, ctx) => hits(HOST, f, 'host', (m) => isMemberHost(normaliseIndicator(m[0]), ctx)),
  (f, ctx) => hits(IPV4, f, 'ip', (m) => isPrivateIpv4(m[0]) || (ctx.memberIpSet.has(normaliseIndicator(m[0]).replace(/\/\d+$/, '')) && !kept(m[0], ctx))),
  (f) => hits(POSTAL, f, 'postal_code'),
  (f) => hits(PHONE, f, 'phone', (m) => isPhoneDigits(m[0])),
  (f, ctx) => literalHits(ctx.literals.addresses, f, 'address'),
  (f) => hits(ADDRESS, f, 'address'),
  (f, ctx) => companyHits(f, ctx.literals.companies),
  (f) => hits(OTHER_COMPANY, f, 'other_company'),
  (f, ctx) => literalHits(ctx.literals.persons, f, 'person'),
  (f, ctx) => literalHits(ctx.literals.clubIds, f, 'club_id'),
  (f, ctx) => literalHits(ctx.literals.nickname, f, 'nickname'),
  (f) => signatureNames(f),
  (f) => hits(LABELLED_NAME, f, 'person', (m) => isPlausibleName(m[1])),
  (f) => hits(SELF_INTRO, f, 'person', (m) => isPlausibleName(m[1] ?? m[2])),
  (f) => hits(HONORIFIC, f, 'person', (m) => isPlausibleName(m[1] ?? m[2] ?? m[3])),
];

/** Names on signature lines, and a closing name alone on the last line. */
function signatureNames(folded: string): Hit[] {
  const lines = folded.split('\n');
  const offsets: number[] = [];
  for (let i = 0, at = 0; i < lines.length; at += lines[i].length + 1, i++) offsets.push(at);
  const out: Hit[] = [];
  const nameOn = (i: number, re: RegExp) => {
    const m = re.exec(lines[i]);
    if (!m || !isPlausibleName(m[1])) return;
    for (const g of m.indices!.slice(1)) if (g) out.push({ start: offsets[i] + g[0], end: offsets[i] + g[1], kind: 'person' });
  };
  for (const block of signatureBlocks(lines)) for (let i = block.start; i < block.end; i++) nameOn(i, SIGNATURE_NAME_LINE);
  const last = lines.length - 1 - [...lines].reverse().findIndex((l) => l.trim() !== '');
  if (last < lines.length) nameOn(last, SIGN_OFF);
  return out;
}

function applyHits(text: string, found: Hit[], replacements: Replacement[]): string {
  const tokens = [...text.matchAll(TOKEN)].map((m) => [m.index, m.index + m[0].length]);
  const inToken = (h: Hit) => tokens.some(([s, e]) => h.start < e && h.end > s);
  const chosen: Hit[] = [];
  for (const h of found.filter((x) => !inToken(x)).sort((a, b) => a.start - b.start || b.end - a.end)) {
    const prev = chosen[chosen.length - 1];
    if (prev && h.start < prev.end) continue;
    chosen.push(h);
  }
  let out = '';
  let at = 0;
  for (const h of chosen) {
    const original = text.slice(h.start, h.end);
    const token = REPLACEMENT_TOKENS[h.kind];
    replacements.push({ kind: h.kind, original, token });
    out += text.slice(at, h.start) + token;
    at = h.end;
  }
  return out + text.slice(at);
}

/**
 * Replaces what identifies a member with tokens (〔会社名〕〔氏名〕…), and lists what was replaced
 * so that a reviewer can check it. Pure: the context carries everything it knows.
 */
export function anonymise(text: string, context: IdentityContext | Prepared): Anonymised {
  const ctx = 'literals' in context ? context : prepare(context);
  const replacements: Replacement[] = [];
  let out = text.replace(/\r\n?/g, '\n');
  for (const find of FINDERS) {
    const found = find(foldWidth(out), ctx);
    if (found.length) out = applyHits(out, found, replacements);
  }
  return { text: out, replacements };
}

/**
 * Member identity still in a text about to be published: anything anonymise would replace except
 * company names that belong to no member (a reviewer may keep a vendor's name).
 */
export function identityFindings(text: string, context: IdentityContext | Prepared): Replacement[] {
  return anonymise(text, context).replacements.filter((r) => r.kind !== 'other_company');
}

/** Public IPv4 addresses in a member's own text: treated as theirs unless an expert keeps them. */
export function publicIpsIn(text: string): string[] {
  return [...foldWidth(text).matchAll(IPV4)].map((m) => normaliseIndicator(m[0]).replace(/\/\d+$/, '')).filter((ip) => !isPrivateIpv4(ip));
}
