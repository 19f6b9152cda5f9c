import {
  ADDRESS, applyHits, companyHits, companyMatcher, EMAIL, foldWidth, HONORIFIC, HOST, hostOfUrl, identityMasker, IdentityMaskListener, IPV4, IPV6, isIpv6, isMemberDomainHost, isPhoneDigits,
  isPlausibleName, isPrivateIpv4, LABELLED_NAME, LiteralMatcher, MaskHit, MemberIdentity, normaliseIndicator, OTHER_COMPANY, patternHits, PHONE, POSTAL, SELF_INTRO,
  signatureNames, URL,
} from '@kkd/membership';

export const REPLACEMENT_KINDS = [
  'email', 'url', 'host', 'ip', 'postal_code', 'phone', 'address', 'club_id', 'nickname', 'company', 'other_company', 'department', 'person',
] as const;
export type ReplacementKind = (typeof REPLACEMENT_KINDS)[number];

export const REPLACEMENT_TOKENS: Record<ReplacementKind, string> = {
  email: '〔メールアドレス〕', url: '〔URL〕', host: '〔ホスト名〕', ip: '〔IPアドレス〕', postal_code: '〔郵便番号〕', phone: '〔電話番号〕',
  address: '〔住所〕', club_id: '〔会員ID〕', nickname: '〔ニックネーム〕', company: '〔会社名〕', other_company: '〔会社名〕', department: '〔部署名〕',
  person: '〔氏名〕',
};
export const REPLACEMENT_LABELS: Record<ReplacementKind, string> = {
  email: 'メールアドレス', url: 'URL', host: 'ホスト名', ip: 'IPアドレス', postal_code: '郵便番号', phone: '電話番号', address: '住所',
  club_id: '会員ID', nickname: 'ニックネーム', company: '会員の会社名', other_company: '会社名（会員以外）', department: '部署名',
  person: '氏名',
};
/** Every token, for finding them again in an edited text. */
export const TOKEN_PATTERN = /〔(?:メールアドレス|URL|ホスト名|IPアドレス|郵便番号|電話番号|住所|会員ID|ニックネーム|会社名|部署名|氏名)〕/g;

/**
 * What identifies members, read from the members table (every member, not only the one who
 * asked) and from the consult: the asking member's nickname and the addresses their mails named.
 */
export interface IdentityContext {
  /** The asking member's nickname. */
  nickname: string | null;
  /**
   * The asking member's identity: masked first, as the expert's view of the consult masks it, so that
   * a draft never holds more of the member than an expert sees (their department, a partial address).
   */
  member?: MemberIdentity | null;
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

type Hit = MaskHit<ReplacementKind>;

type Finder = (folded: string, ctx: Prepared) => Hit[];

interface Prepared extends IdentityContext {
  memberMask: ((text: string, onReplace?: IdentityMaskListener) => string) | null;
  keepSet: Set<string>;
  memberIpSet: Set<string>;
  literals: { clubIds: LiteralMatcher; nickname: LiteralMatcher; companies: LiteralMatcher; persons: LiteralMatcher; addresses: LiteralMatcher };
}

const hits = patternHits<ReplacementKind>;

const literalHits = (matcher: LiteralMatcher, folded: string, kind: ReplacementKind): Hit[] => matcher.find(folded).map(([start, end]) => ({ start, end, kind }));

export function prepare(ctx: IdentityContext): Prepared {
  return {
    ...ctx,
    domains: ctx.domains.map((d) => d.toLowerCase()),
    memberMask: ctx.member ? identityMasker(ctx.member) : null,
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

const isMemberHost = (host: string, ctx: Prepared) => isMemberDomainHost(host, ctx.domains);
const kept = (value: string, ctx: Prepared) => ctx.keepSet.has(normaliseIndicator(value));

/** The passes, in order: what an earlier pass replaced is a token no later pass touches. */
const FINDERS: Finder[] = [
  (f, ctx) => hits(EMAIL, f, 'email', (m) => {
    const host = normaliseIndicator(m[0]).split('@')[1] ?? '';
    return isMemberHost(host, ctx) || !kept(m[0], ctx);
  }),
  (f, ctx) => hits(URL, f, 'url', (m) => isMemberHost(hostOfUrl(m[0]), ctx)),
  (f, ctx) => hits(HOST, f, 'host', (m) => isMemberHost(normaliseIndicator(m[0]), ctx)),
  // IPv6 before IPv4 (an IPv4 tail, ::ffff:192.0.2.1, is part of it). A member's IPv6 cannot be told from an attacker's: each goes unless kept.
  (f, ctx) => hits(IPV6, f, 'ip', (m) => isIpv6(m[0]) && !kept(m[0], ctx)),
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

function applyHitsTo(text: string, found: Hit[], replacements: Replacement[]): string {
  return applyHits(text, found, (kind) => REPLACEMENT_TOKENS[kind], (kind, original, token) => replacements.push({ kind, original, token }));
}

/**
 * Replaces what identifies a member with tokens (〔会社名〕〔氏名〕…), and lists what was replaced
 * so that a reviewer can check it. Pure: the context carries everything it knows.
 */
export function anonymise(text: string, context: IdentityContext | Prepared): Anonymised {
  const ctx = 'literals' in context ? context : prepare(context);
  const replacements: Replacement[] = [];
  let out = text.replace(/\r\n?/g, '\n');
  // The expert view's masker's kinds are the anonymiser's own (the same tokens).
  if (ctx.memberMask) out = ctx.memberMask(out, (kind, original, token) => replacements.push({ kind, original, token }));
  for (const find of FINDERS) {
    const found = find(foldWidth(out), ctx);
    if (found.length) out = applyHitsTo(out, found, replacements);
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
