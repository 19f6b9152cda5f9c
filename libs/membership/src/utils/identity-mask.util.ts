import type { Member } from '../entities/member.entity';
import { companyLiterals, widenToLegalForm } from './company-name.util';
import {
  ADDRESS, companyCore, EMAIL, HONORIFIC, HOST, hostOfUrl, isMemberDomainHost, isPhoneDigits, isPlausibleName, LABELLED_NAME, normaliseIndicator, OTHER_COMPANY, PHONE,
  POSTAL, PREFECTURES, SELF_INTRO, URL,
} from './identity-patterns.util';
import { asciiLower, TaggedLiteralMatcher } from './literal-matcher.util';
import { memberDomains } from './member-domains.util';
import { LineRange, signatureBlocks, signatureNames } from './signature-block.util';
import { englishDepartmentHits, japaneseDepartmentHits } from './department-words.util';
import { romajiAddressHits, romajiCompanyKeys, romajiCompanyPatterns } from './romaji-identity.util';
import { foldKanjiVariants, foldPlaceKana, foldWidth } from './text-fold.util';
import { chooseHits, MaskHit, patternHits, replaceHits } from './text-mask.util';

/** What an expert must not learn about a member: the art. 12 details and the registered addresses. */
export type MemberIdentity = Pick<Member, 'company' | 'department' | 'contactName' | 'phone' | 'postalCode' | 'address'> & { emails: string[] };

export const IDENTITY_MASK_KINDS = ['company', 'department', 'person', 'email', 'host', 'phone', 'postal_code', 'address'] as const;
export type IdentityMaskKind = (typeof IDENTITY_MASK_KINDS)[number];

/** The tokens written in place of identity: the FAQ anonymiser's where it has the kind. */
export const IDENTITY_MASK_TOKENS: Record<IdentityMaskKind, string> = {
  company: '〔会社名〕', department: '〔部署名〕', person: '〔氏名〕', email: '〔メールアドレス〕', host: '〔ホスト名〕', phone: '〔電話番号〕',
  postal_code: '〔郵便番号〕', address: '〔住所〕',
};

type Hit = MaskHit<IdentityMaskKind>;

/** Hears each replacement a masker makes: what it found, as written, and the token put in its place. */
export type IdentityMaskListener = (kind: IdentityMaskKind, original: string, token: string) => void;

/**
 * A member's masker: a text function that also masks file names (maskFileName), where the member's
 * identity parts stand alone between separators (髙橋.txt, VPNログ_髙橋.txt) without the words
 * (より, 様) that tell a name in a text.
 */
export type IdentityMasker = ((text: string, onReplace?: IdentityMaskListener) => string) & {
  readonly fileNameParts: (filename: string) => string;
};

/** A member's identity as the masker reads it (with no member: nothing but the patterns). */
export function memberIdentityOf(member: (Omit<MemberIdentity, 'emails'> & { emails: { address: string }[] }) | null): MemberIdentity {
  return member ? {
    company: member.company, department: member.department, contactName: member.contactName, phone: member.phone,
    postalCode: member.postalCode, address: member.address, emails: member.emails.map((e) => e.address).sort(),
  } : { company: '', department: null, contactName: null, phone: null, postalCode: null, address: null, emails: [] };
}

/** The kinds found as the member registered them (LiteralMatcher variants: width, case, spaces). */
type LiteralKind = 'company' | 'department' | 'person' | 'address' | 'phone';

interface Prepared {
  emails: Set<string>;
  domains: string[];
  literals: TaggedLiteralMatcher<LiteralKind>;
  /** The registered address with spaces between its parts and its block number in any form. */
  address: RegExp | null;
  /** The contact's family name where a name stands alone: 山田です, 山田より, 山田様, 担当は山田, 山田が対応. */
  familyName: RegExp | null;
  /** The contact's given name standing alone as a word (not after another family name: 専門 太郎). */
  givenName: RegExp | null;
  /** A one-character family name (林, 森), which is a common word too: masked alone only on a signature line. */
  shortFamilyName: RegExp | null;
  /** The company in romaji (Himawari Seiki Co., Ltd., HIMAWARI SEIKI). */
  romajiCompany: ReturnType<typeof romajiCompanyPatterns>;
  postalCode: string | null;
  /** The member's own literals, and the parts of their name and department, as file names hold them. */
  fileNameParts: TaggedLiteralMatcher<LiteralKind>;
}

const escapeRegExp = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
/** A registered name as the masker's folded text holds it (髙﨑 as 高崎, full width as ASCII), escaped for a pattern. */
const foldedLiteral = (text: string) => escapeRegExp(foldKanjiVariants(foldWidth(text)));
/** Words after which a family name alone is that person: self-introductions, senders, honorifics. */
const AFTER_FAMILY_NAME = '[ ]?(?:です|でございます|と申します|より|から|様|さま|さん|殿|氏)';

/** Letters a name standing alone as a word has on neither side: no kanji or katakana (山田が, 担当：山田; not 山田電機, 小山田). */
const NAME_LETTER = '[\\u4e00-\\u9fff\\uf900-\\ufaff\\u3005\\u30a1-\\u30fa\\u30fc]';
/**
 * The family name before those words, or alone at the end of a line (a closing 山田, 情報システム部　山田,
 * 山田 拝), or standing alone as a word anywhere (担当は山田です, 山田が対応しています).
 */
const familyNamePattern = (family: string) => new RegExp(
  `${family}(?=${AFTER_FAMILY_NAME})|(?<=^|[ \\t])${family}(?=[ \\t]*(?:拝)?[ \\t]*$)|(?<!${NAME_LETTER})${family}(?!${NAME_LETTER})`, 'gdm',
);
/** The given name alone as a word, not the given name of another person written after a family name (専門 太郎). */
const givenNamePattern = (given: string) => new RegExp(`(?<!${NAME_LETTER}[ \\t]?)${given}(?!${NAME_LETTER})`, 'gd');
/** ヶ, ケ, が or ガ between kanji in a registered address: any of the four in the text (霞が関, 霞ヶ関, 霞ケ関). */
const placeKanaClass = (escaped: string) => escaped.replace(/(?<=[\u4e00-\u9fff\u3005])[ヶケがガ](?=[\u4e00-\u9fff\u3005])/g, '[ヶケがガ]');

const PREFECTURE = /^(?:北海道|東京都|(?:京都|大阪)府|\S{2,3}県)[ ]?/;
/** Where the block number starts: 2-3-1, 一丁目2番3号 (the lot, the building and the floor follow). */
const BLOCK_NUMBER = /[0-9０-９]|[一二三四五六七八九十]+丁目/;
/** The municipality and its wards, and a town or district after them: 横浜市西区 + みなとみらい. */
const MUNICIPALITY_AND_TOWN = /^(?:\S{1,8}?[市区町村郡]){1,3}\S+$/;

/**
 * A registered address as it is written, and its leading parts that still say where the member
 * is: without the prefecture, and without the block number (横浜市西区みなとみらい, 神奈川県横浜市西区みなとみらい).
 * A city or ward alone (横浜市, 港区) is anyone's and is left out.
 */
export function addressLiterals(address: string | null): string[] {
  const whole = (address ?? '').trim();
  if (!whole) return [];
  const withoutPrefecture = whole.replace(PREFECTURE, '');
  const cut = (a: string) => {
    const at = a.search(BLOCK_NUMBER);
    return (at === -1 ? a : a.slice(0, at)).trim();
  };
  const town = cut(withoutPrefecture);
  const fragments = MUNICIPALITY_AND_TOWN.test(town) ? [town, cut(whole)] : [];
  return [...new Set([whole, withoutPrefecture, ...fragments])].filter((a) => a.length >= 4);
}
/** A block number as any form writes it: 2-3-1, 2丁目3番1号, 二丁目3番地の1, 2丁目3-1 (width folded). */
const NUMERAL = '(?:[0-9]+|[〇一二三四五六七八九十]+)';
const BLOCK = `${NUMERAL}(?:(?:丁目|番地?の?|[-‐−ー―])[ ]?${NUMERAL}){0,3}(?:丁目|番地?|号)?`;
/** Any prefecture before the member's municipality (their own may be left out when registered, and written when not). */
const ANY_PREFECTURE = `(?:(?:${PREFECTURES})[ ]?)?`;

/**
 * The registered address as a text may write it: a space after the prefecture, city or ward
 * (横浜市西区 みなとみらい), the block number in any form, the prefecture optional. The town is
 * required, or without one the block number: a city or ward alone (横浜市, 港区) is anyone's.
 */
export function addressPattern(address: string | null): RegExp | null {
  const whole = foldKanjiVariants(foldWidth(address ?? '')).replace(/\s+/g, '');
  const rest = whole.replace(PREFECTURE, '');
  const at = rest.search(BLOCK_NUMBER);
  const place = at === -1 ? rest : rest.slice(0, at);
  const hasTown = MUNICIPALITY_AND_TOWN.test(place);
  if (!/[市区町村郡]/.test(place) || (!hasTown && at === -1)) return null;
  const spaced = placeKanaClass(escapeRegExp(place)).replace(/([市区町村郡])(?=.)/g, '$1[ ]?');
  return new RegExp(`${ANY_PREFECTURE}${spaced}${hasTown ? `(?:[ ]?${BLOCK})?` : `[ ]?${BLOCK}`}`, 'gd');
}
/** An extension number: 内線 1234, 内線：12-345. */
const EXTENSION = /内線[ ]?[:：]?[ ]?(\d{2,6}(?:-\d{1,4})?)/gd;
/** A department word on a signature line: 情報システム部, セキュリティ推進室, 総務グループ. */
const DEPARTMENT_WORD = /(?<![^\s　>|])[^\s　>|〔〕]{1,20}(?:本部|事業部|部|課|室|係|グループ|センター|チーム|支店|営業所|事業所)(?![^\s　])/gd;
/** A department right after the member's company, anywhere: 〔会社名〕 情報システム部の, 〔会社名〕の開発部門で (not 全部, 一部, 会議室). */
const DEPARTMENT_AFTER_COMPANY = /〔会社名〕[ ]?の?[ ]?([\u4e00-\u9fff\u30a1-\u30fa\u30fcA-Za-z&・]{2,20}?(?:本部|事業部|部門|部|課|室|グループ|センター|チーム))(?![\u4e00-\u9fff\u30a1-\u30fa\u30fc])/gd;
const NOT_DEPARTMENT_ROOM = /(?:会議|応接|サーバー?|マシン|電算|休憩|更衣|倉庫|役員|控)室$/;
/** A company on a signature line: the whole word joined to its legal form (ひまわりロジスティクス株式会社, ㈱ひまわり). */
const JA_LEGAL_FORM = '(?:株式会社|有限会社|合同会社|合資会社|合名会社|一般社団法人|一般財団法人|公益社団法人|公益財団法人|特定非営利活動法人|NPO法人|\\(株\\)|㈱|\\(有\\)|㈲)';
const COMPANY_CHARS = '[^\\s、。,()（）【】「」『』〔〕<>|:：]';
const SIGNATURE_COMPANY_BEFORE_FORM = new RegExp(`${COMPANY_CHARS}{1,30}?[ ]?${JA_LEGAL_FORM}`, 'gd');
const SIGNATURE_COMPANY_AFTER_FORM = new RegExp(`${JA_LEGAL_FORM}[ ]?${COMPANY_CHARS}{1,30}`, 'gd');
/** A company's name has two characters or more, a letter among them: not ㈱ beside 髙 or ①②③ on a line of test characters. */
const isCompanyName = (m: RegExpExecArray) => {
  const name = companyCore(m[0]);
  return name.length >= 2 && /[\u3041-\u30fa\u30fc\u4e00-\u9fff\uf900-\ufaffA-Za-z]/.test(name);
};
/** A company as a Latin signature line writes it: Himawari Seiki Co., Ltd. / Example Inc. */
const LATIN_COMPANY = /(?<![A-Za-z])[A-Z][A-Za-z0-9&'.-]*(?:[ ][A-Z&][A-Za-z0-9&'.-]*){0,5},?[ ](?:Co\.,?[ ]?Ltd\.?|Inc\.?|Corporation|Corp\.?|K\.K\.|Ltd\.?|LLC)(?![A-Za-z])/gd;
/** The display name right before an address already masked, on the same line: 山田 太郎 <〔メールアドレス〕>, "Sato, Jiro" [mailto:〔メールアドレス〕]. */
const MASKED_ADDRESS = /[<\[](?:mailto:)?〔メールアドレス〕/g;
const NAME_WORD = '[\\u4e00-\\u9fff\\u3005\\u3041-\\u3096\\u30a1-\\u30fa\\u30fcA-Za-z.\'-]{1,20}';
const DISPLAY_NAME_BEFORE = new RegExp(`(?:"(${NAME_WORD},[ \\t]${NAME_WORD})"|(?<![^\\s"':：,、(（])(${NAME_WORD}(?:[ \\t]${NAME_WORD}){0,3})"?)[ \\t]*$`, 'd');

function namesBesideAddresses(folded: string): Hit[] {
  const out: Hit[] = [];
  for (const m of folded.matchAll(MASKED_ADDRESS)) {
    const lineStart = folded.lastIndexOf('\n', m.index - 1) + 1;
    const from = Math.max(lineStart, m.index - 100);
    const name = DISPLAY_NAME_BEFORE.exec(folded.slice(from, m.index));
    const group = name?.[1] === undefined ? 2 : 1;
    const span = name?.indices?.[group];
    if (name && span && isPlausibleName(name[group])) out.push({ start: from + span[0], end: from + span[1], kind: 'person' });
  }
  return out;
}

const present = (values: (string | null | undefined)[]): string[] => values.map((v) => (v ?? '').trim()).filter(Boolean);

/** The parts of a name or department written alone: "山田 太郎" → 山田, 太郎; "情報システム部 セキュリティ課" → both. */
const parts = (value: string | null, min: number): string[] => present((value ?? '').split(/[ \t\u3000・/／]+/)).filter((p) => p.length >= min);

/** A department's units written alone: 情報システム部セキュリティ課 → 情報システム部, セキュリティ課. */
const UNIT = /.+?(?:本部|事業部|部門|部|課|室|係|グループ|センター|チーム)|.+$/g;
const units = (department: string | null): string[] => parts(department, 3).flatMap((p) => p.match(UNIT) ?? []).filter((u) => u.length >= 3);

/** Role mailboxes (soc@, csirt@, info@ …): their local part names no one. */
const ROLE_MAILBOX = /soc|sirt|cert|info|admin|secur|support|system|helpdesk|noc|abuse|master|contact|office|isms|ciso|desk|team|center|centre|jimu|so-?u?mu|^it\b|^sec\b/i;
/** The local parts of personal addresses (t-yamada@ …), which stand for a person in logs and user lists. */
const personalLocalParts = (emails: string[]): string[] =>
  emails.map((e) => e.split('@')[0]).filter((local) => local.length >= 4 && /[a-z]/i.test(local) && !ROLE_MAILBOX.test(local));

/** A Latin name in either order: "Taro Yamada" and "Yamada Taro". */
const bothOrders = (name: string): string[] => (/^[A-Za-z]+ [A-Za-z]+$/.test(name) ? [name, name.split(' ').reverse().join(' ')] : [name]);

function prepareIdentity(identity: MemberIdentity): Prepared {
  const emails = present(identity.emails).map((e) => e.toLowerCase());
  const address = present([identity.address]);
  const contact = present([identity.contactName]);
  const nameParts = contact.length && !/^[A-Za-z]/.test(contact[0]) ? parts(contact[0], 1) : [];
  const family = nameParts[0] ?? null;
  // A given name alone is masked only with a kanji or katakana in it and two characters or more (not はな, 誠).
  const given = nameParts.length === 2 && nameParts[1].length >= 2 && /[\u4e00-\u9fff\u30a1-\u30fa]/.test(nameParts[1]) ? nameParts[1] : null;
  // Literals compared with one spelling of 霞が関/霞ヶ関/霞ケ関 (the text is folded alike).
  const kana = (values: string[]) => values.map(foldPlaceKana);
  return {
    emails: new Set(emails),
    domains: [...new Set(emails.flatMap(memberDomains))],
    literals: new TaggedLiteralMatcher<LiteralKind>()
      .add('company', kana(companyLiterals(present([identity.company]))))
      .add('department', kana([...present([identity.department]), ...parts(identity.department, 3), ...units(identity.department)]))
      .add('person', kana(contact.flatMap(bothOrders)))
      .add('person', personalLocalParts(emails), 4, true)
      .add('address', kana(address.flatMap(addressLiterals)), 4)
      // Digits as registered (a postal code without its 〒, a phone number in an unusual layout).
      .add('phone', present([identity.phone, identity.postalCode]), 7, true),
    address: addressPattern(identity.address),
    familyName: family && family.length >= 2 ? familyNamePattern(foldedLiteral(family)) : null,
    givenName: given ? givenNamePattern(foldedLiteral(given)) : null,
    shortFamilyName: family?.length === 1 && /[\u4e00-\u9fff\uf900-\ufaff]/.test(family)
      ? new RegExp(`(?<!${NAME_LETTER})${foldedLiteral(family)}(?!${NAME_LETTER})`, 'gd') : null,
    romajiCompany: romajiCompanyPatterns(romajiCompanyKeys(present([identity.company])[0] ?? '', [...new Set(emails.flatMap(memberDomains))])),
    postalCode: identity.postalCode,
    // A file name has no より or 様 to tell a name: a family or given name alone there is the contact's.
    fileNameParts: new TaggedLiteralMatcher<LiteralKind>()
      .add('company', companyLiterals(present([identity.company])))
      .add('department', [...present([identity.department]), ...parts(identity.department, 2), ...units(identity.department)])
      .add('person', [...contact.flatMap(bothOrders), ...parts(contact[0] ?? null, 2)])
      .add('person', personalLocalParts(emails), 4),
  };
}

const isMemberHost = (host: string, ctx: Prepared) => isMemberDomainHost(host, ctx.domains);
/** The member's registered details, a company widened to a legal form beside it. */
function registeredHits(folded: string, lowered: string, ctx: Prepared): Hit[] {
  return ctx.literals.find(lowered).map((h) => {
    if (h.kind !== 'company') return h;
    const [start, end] = widenToLegalForm(folded, h.start, h.end);
    return { start, end, kind: h.kind };
  });
}

/** The host inside a URL at one of the member's domains; the scheme and path stay. */
function memberUrlHosts(folded: string, ctx: Prepared): Hit[] {
  const out: Hit[] = [];
  for (const m of folded.matchAll(URL)) {
    if (!isMemberHost(hostOfUrl(m[0]), ctx)) continue;
    const scheme = /^[a-z]+:\/\//i.exec(m[0]);
    const start = m.index + (scheme?.[0].length ?? 0);
    const rest = m[0].slice(scheme?.[0].length ?? 0);
    const host = /^[^/:?#]+/.exec(rest)!;
    out.push({ start, end: start + host[0].length, kind: 'host' });
  }
  return out;
}

/** Contact data: found on the text as the member wrote it. Each finder looks only where its pattern can match at all. */
const CONTACT_FINDERS: Array<(folded: string, lowered: string, ctx: Prepared) => Hit[]> = [
  (f, _l, ctx) => (/@|\[at\]|\(at\)/i.test(f) ? patternHits(EMAIL, f, 'email', (m) => {
    const address = normaliseIndicator(m[0]).replace(/\s/g, '');
    return ctx.emails.has(address) || isMemberHost(address.split('@')[1] ?? '', ctx);
  }) : []),
  (f, l, ctx) => (ctx.domains.length && (l.includes('://') || l.includes('www')) ? memberUrlHosts(f, ctx) : []),
  (f, l, ctx) => (ctx.domains.some((d) => l.includes(d.split('.')[0])) ? patternHits(HOST, f, 'host', (m) => isMemberHost(normaliseIndicator(m[0]), ctx)) : []),
  (f) => (f.includes('〒') || f.includes('郵便番号') ? patternHits(POSTAL, f, 'postal_code') : []),
  // Not digits inside a hash or an identifier (…f0312345678e…).
  (f) => (/\d/.test(f) ? patternHits(PHONE, f, 'phone', (m) => isPhoneDigits(m[0]) && !/[A-Fa-f]/.test(f[m.index - 1] ?? '') && !/[A-Za-z]/.test(f[m.index + m[0].length] ?? '')) : []),
  (f) => (f.includes('内線') ? patternHits(EXTENSION, f, 'phone') : []),
  (f) => (/[市区]/.test(f) ? patternHits(ADDRESS, f, 'address') : []),
  (f, l, ctx) => registeredHits(f, l, ctx),
  (f, _l, ctx) => (ctx.address ? patternHits(ctx.address, f, 'address') : []),
  (f, _l, ctx) => (ctx.familyName ? patternHits(ctx.familyName, f, 'person') : []),
  (f, _l, ctx) => (ctx.givenName ? patternHits(ctx.givenName, f, 'person') : []),
  (f, _l, ctx) => [
    ...(ctx.romajiCompany.sure ? patternHits(ctx.romajiCompany.sure, f, 'company') : []),
    ...(ctx.romajiCompany.likely ? patternHits(ctx.romajiCompany.likely, f, 'company') : []),
  ],
];

/** Line numbers inside signature blocks. */
const inBlocks = (blocks: LineRange[]) => (line: number) => blocks.some((b) => line >= b.start && line < b.end);

/** What only a signature line tells: the company's romaji alone (HIMAWARI SEIKI), a one-kanji family name (林). */
function signatureOnlyHits(folded: string, blocks: LineRange[], ctx: Prepared): Hit[] {
  const out: Hit[] = [];
  const inSignature = inBlocks(blocks);
  const { lines, offsets } = linesOf(folded);
  for (let i = 0; i < lines.length; i++) {
    if (!inSignature(i)) continue;
    const on = (re: RegExp | null, kind: IdentityMaskKind) => {
      if (re) for (const h of patternHits(re, lines[i], kind)) out.push({ ...h, start: h.start + offsets[i], end: h.end + offsets[i] });
    };
    on(ctx.romajiCompany.alone, 'company');
    on(ctx.shortFamilyName, 'person');
  }
  return out;
}

/** Lines quoted with ">" read like the member's own (offsets kept: each ">" becomes a space). */
const unquote = (folded: string) => folded.replace(/^(?:[ \t]*>)+/gm, (m) => ' '.repeat(m.length));

/** The service's own name (quote headers, its quoted signature): no member's identity, so never read as a name or department. */
const SERVICE_NAME = /(?:CSIRT[ ]?倶楽部[ ]?)?(?:駆け込み|駆込み?|かけこみ)寺(?:[ ]?(?:事務局|ヘルプデスク|窓口))?|CSIRT[ ]?倶楽部/gi;
/** The text with the service's name blanked (offsets kept), for the passes that guess organisation and names. */
const withoutServiceName = (folded: string) => folded.replace(SERVICE_NAME, (m) => ' '.repeat(m.length));

/**
 * The text with other companies blanked (offsets kept), for the name passes: a name is never read
 * inside one (㈱東洋システム開発 佐藤様 is not 開発 佐藤). A name glued to the company (…開発佐藤様) keeps it.
 */
const withoutOtherCompanies = (folded: string) => (HAS_LEGAL_FORM.test(folded)
  ? folded.replace(OTHER_COMPANY, (m, ...rest) => {
    const at = rest.find((r) => typeof r === 'number') as number;
    return /^(?:様|さま|さん|殿|氏)/.test(folded.slice(at + m.length)) ? m : ' '.repeat(m.length);
  })
  : folded);

/** Line offsets of a text, and its lines. */
function linesOf(text: string): { lines: string[]; offsets: number[] } {
  const lines = text.split('\n');
  const offsets: number[] = [];
  for (let i = 0, at = 0; i < lines.length; at += lines[i].length + 1, i++) offsets.push(at);
  return { lines, offsets };
}

/** Which lines can hold a company or a department at all (the patterns themselves are costly to try everywhere). */
const HAS_LEGAL_FORM = /株式会社|有限会社|合同会社|合資会社|合名会社|法人|\(株\)|㈱|\(有\)|㈲/;
const HAS_LATIN_LEGAL_FORM = /Co\.|Inc|Corp|K\.K\.|Ltd|LLC/;
const HAS_UNIT = /[部課室係]|グループ|センター|チーム|支店|営業所|事業所/;

/** Inside the member's signature blocks, any company and department is theirs. */
function signatureOrganisation(folded: string, blocks: LineRange[]): Hit[] {
  const { lines, offsets } = linesOf(folded);
  const out: Hit[] = [];
  const on = (re: RegExp, i: number, kind: IdentityMaskKind, accept?: (m: RegExpExecArray) => boolean) => {
    for (const h of patternHits(re, lines[i], kind, accept)) out.push({ ...h, start: h.start + offsets[i], end: h.end + offsets[i] });
  };
  for (const block of blocks) {
    for (let i = block.start; i < block.end; i++) {
      // Both sides of a legal form are tried, so that a refused name before it (①②③ ㈱) does not hide one after it.
      if (HAS_LEGAL_FORM.test(lines[i])) {
        on(SIGNATURE_COMPANY_BEFORE_FORM, i, 'company', isCompanyName);
        on(SIGNATURE_COMPANY_AFTER_FORM, i, 'company', isCompanyName);
      }
      if (HAS_UNIT.test(lines[i])) on(DEPARTMENT_WORD, i, 'department');
      if (HAS_LATIN_LEGAL_FORM.test(lines[i])) on(LATIN_COMPANY, i, 'company');
    }
  }
  return out;
}

/** A name's reading beside a name already masked: 〔氏名〕（ヤマダ タロウ）, 〔氏名〕 (Taro Yamada). */
const READING_AFTER_NAME = /〔氏名〕[ \t]?[(\[]((?:[\u30a1-\u30fa\u30fc]|[A-Za-z])[\u30a1-\u30fa\u30fcA-Za-z ・.'-]{0,30})[)\]]/gd;
/** A signature line that is a name in katakana alone: ヤマダ タロウ. */
const KATAKANA_NAME_LINE = /^[ \t]*([\u30a1-\u30fa\u30fc]{2,10}[ \t・][\u30a1-\u30fa\u30fc]{2,10})[ \t]*$/d;

/** Katakana name lines inside signature blocks. */
function katakanaNameLines(folded: string, blocks: LineRange[]): Hit[] {
  const { lines, offsets } = linesOf(folded);
  const out: Hit[] = [];
  for (const block of blocks) {
    for (let i = block.start; i < block.end; i++) {
      const span = KATAKANA_NAME_LINE.exec(lines[i])?.indices?.[1];
      if (span) out.push({ start: offsets[i] + span[0], end: offsets[i] + span[1], kind: 'person' });
    }
  }
  return out;
}

/** A company or department token ahead of a name on a signature line reads as blank there. */
const ORGANISATION_TOKEN = /〔(?:会社名|部署名)〕/g;

/** Names: found after the contact pass, so that its tokens (〔会社名〕の山田です) give context. */
const NAME_FINDERS: Array<(folded: string, blocks: LineRange[]) => Hit[]> = [
  // A one-line text has no signature: its only line is no closing name (「本文」, 「至急」).
  (f, blocks) => (f.trim().includes('\n') ? signatureNames(f.replace(ORGANISATION_TOKEN, (m) => ' '.repeat(m.length)), blocks) : []),
  (f) => namesBesideAddresses(f),
  (f) => (f.includes('〔氏名〕') ? patternHits(READING_AFTER_NAME, f, 'person') : []),
  (f, blocks) => (blocks.length ? katakanaNameLines(f, blocks) : []),
  (f) => (/[:：]/.test(f) ? patternHits(LABELLED_NAME, f, 'person', (m) => isPlausibleName(m[1])) : []),
  // SELF_INTRO reads the company and department tokens of the contact pass too (〔部署名〕の山田です).
  (f) => (/です|でございます|申します/.test(f) ? patternHits(SELF_INTRO, f, 'person', (m) => isPlausibleName(m[1] ?? m[2])) : []),
  (f) => (/様|さま|さん|殿|氏|君|くん|ちゃん|-san|\b(?:Mr|Ms|Mrs|Dr)\b/.test(f) ? patternHits(HONORIFIC, f, 'person', (m) => isPlausibleName(m[1] ?? m[2] ?? m[3])) : []),
];

const tokenOf = (kind: IdentityMaskKind) => IDENTITY_MASK_TOKENS[kind];

/**
 * A function that hides one member's identity in a text an expert reads: their company (with or
 * without its legal form, any width), department, contact person, registered and same-domain
 * mail addresses, hosts of their domains (a URL keeps its path), phone and extension numbers,
 * postal codes, addresses, and the names and organisation in their signature blocks. What an
 * expert needs stays: IP addresses, other URLs and hosts, file and malware names, times, and
 * other companies outside the signature. Pure; build once per member and reuse.
 */
export function identityMasker(identity: MemberIdentity): IdentityMasker {
  const ctx = prepareIdentity(identity);
  const mask = (text: string, onReplace?: IdentityMaskListener): string => {
    if (!text) return text;
    // The text and its folded copy (width, kanji variants: 髙﨑 reads as 高崎, as the registered
    // patterns are folded) are replaced in step: tokens fold to themselves, offsets are shared.
    let out = text.replace(/\r\n?/g, '\n');
    let folded = foldKanjiVariants(foldWidth(out));
    const step = (found: Hit[]) => {
      const chosen = chooseHits(out, found);
      if (onReplace) for (const h of chosen) onReplace(h.kind, out.slice(h.start, h.end), tokenOf(h.kind));
      out = replaceHits(out, chosen, tokenOf);
      folded = replaceHits(folded, chosen, tokenOf);
    };
    // Signature blocks are found once, on the text as written (its TEL, 〒 and 株式会社 lines tell them).
    // Replacements never span lines, so their line ranges hold for every pass.
    const blocks = signatureBlocks(unquote(folded).split('\n'));
    const lowered = foldPlaceKana(asciiLower(folded));
    step([
      ...CONTACT_FINDERS.flatMap((find) => find(folded, lowered, ctx)),
      ...romajiAddressHits(folded, ctx.postalCode, inBlocks(blocks)),
      ...(blocks.length ? signatureOnlyHits(folded, blocks, ctx) : []),
    ]);
    const members = withoutServiceName(unquote(folded));
    step([
      ...japaneseDepartmentHits(members),
      ...englishDepartmentHits(members, inBlocks(blocks)),
      ...(blocks.length ? signatureOrganisation(withoutServiceName(unquote(folded)), blocks) : []),
      ...(folded.includes('〔会社名〕') ? patternHits(DEPARTMENT_AFTER_COMPANY, folded, 'department', (m) => !NOT_DEPARTMENT_ROOM.test(m[1])) : []),
    ]);
    const names = withoutOtherCompanies(withoutServiceName(unquote(folded)));
    step(NAME_FINDERS.flatMap((find) => find(names, blocks)));
    return out;
  };
  return Object.assign(mask, { fileNameParts: (filename: string) => fileNameParts(filename, ctx) });
}

/** A letter beside a literal makes it part of a longer word (髙橋 in 髙橋町, yamada in yamadashi); digits and symbols separate. */
const LETTER = /\p{L}/u;

/** The member's literals standing alone in a file name: between _ - . spaces, brackets, digits, or at either end. */
function fileNameParts(filename: string, ctx: Prepared): string {
  const folded = foldWidth(filename);
  const hits = ctx.fileNameParts.find(asciiLower(folded))
    .filter((h) => !LETTER.test(folded[h.start - 1] ?? '') && !LETTER.test(folded[h.end] ?? ''));
  return replaceHits(filename, chooseHits(filename, hits), tokenOf);
}

/**
 * A file name as an expert sees it: masked like the texts (the extension stays), with "_" read as
 * the space a file name cannot hold (山田_花子.txt, t-yamada_memo.txt) when the name has no space of
 * its own to tell apart; then the member's identity parts standing alone (VPNログ_髙橋.txt), which
 * a text would show only with より or 様 beside them. A plain text function (no member's masker)
 * gets the first pass only.
 */
export function maskFileName(filename: string, mask: ((text: string) => string) & { fileNameParts?: (filename: string) => string } | null): string {
  if (!mask) return filename; // a viewer who may see identity
  const masked = filename.includes(' ') || !filename.includes('_') ? mask(filename) : mask(filename.replace(/_/g, ' ')).replace(/ /g, '_');
  return mask.fileNameParts ? mask.fileNameParts(masked) : masked;
}
