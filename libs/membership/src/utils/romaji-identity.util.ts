/**
 * A member's identity as Latin letters write it, for mail in English or with an English signature:
 * the company romanised (Himawari Seiki Co., Ltd., HIMAWARI SEIKI) and the address in romaji
 * (1-2-3 Kasumigaseki, Chiyoda-ku, Tokyo 100-8901, Japan). Patterns run on width-folded text.
 */
import { companyNameForms } from './company-name.util';
import { companyCore } from './identity-patterns.util';
import { foldWidth } from './text-fold.util';
import { MaskHit } from './text-mask.util';

type Hit = MaskHit<'company' | 'address'>;

/** Hepburn syllables of the hiragana (katakana are read through them). */
const KANA_ROMAJI: Record<string, string> = Object.fromEntries(
  ('あa いi うu えe おo かka きki くku けke こko さsa しshi すsu せse そso たta ちchi つtsu てte とto なna にni ぬnu ねne のno '
    + 'はha ひhi ふfu へhe ほho まma みmi むmu めme もmo やya ゆyu よyo らra りri るru れre ろro わwa ゐi ゑe をo んn '
    + 'がga ぎgi ぐgu げge ごgo ざza じji ずzu ぜze ぞzo だda ぢji づzu でde どdo ばba びbi ぶbu べbe ぼbo ぱpa ぴpi ぷpu ぺpe ぽpo '
    + 'ぁa ぃi ぅu ぇe ぉo ゔvu').split(' ').map((p) => [p[0], p.slice(1)]),
);
const SMALL_Y: Record<string, string> = { ゃ: 'a', ゅ: 'u', ょ: 'o' };

/** Kana as Hepburn romaji (ひまわり → himawari, シャープ → shapu); other characters are dropped. */
export function kanaToRomaji(kana: string): string {
  const hira = kana.replace(/[\u30a1-\u30f6]/g, (c) => String.fromCharCode(c.charCodeAt(0) - 0x60));
  let out = '';
  let double = false;
  for (const c of hira) {
    if (c === 'っ') { double = true; continue; }
    if (SMALL_Y[c] && out) {
      // きゃ → kya, しゃ → sha, ちゃ → cha, じゃ → ja.
      out = /(?:sh|ch|j)i$/.test(out) ? out.slice(0, -1) + SMALL_Y[c] : out.replace(/i$/, `y${SMALL_Y[c]}`);
      continue;
    }
    const r = KANA_ROMAJI[c];
    if (!r) continue;
    out += double && /^[a-z]/.test(r) && !/^[aeioun]/.test(r) ? r[0] + r : r;
    double = false;
  }
  return out;
}

/** Romaji compared loosely: Kunrei and Hepburn spellings and long vowels written or not (Ohno, Ono, Oono, Sinzi, Shinji). */
export function looseRomaji(word: string): string {
  return word.toLowerCase()
    .replace(/si/g, 'shi').replace(/ti/g, 'chi').replace(/tu/g, 'tsu').replace(/hu/g, 'fu').replace(/zi/g, 'ji')
    .replace(/sy/g, 'sh').replace(/ty/g, 'ch').replace(/[zj]y/g, 'j').replace(/shhi/g, 'shi').replace(/cchi|chhi/g, 'chi').replace(/tsshu/g, 'tsu')
    .replace(/m(?=[bpm])/g, 'n').replace(/oh(?![aeiou])/g, 'o').replace(/ou|oo/g, 'o').replace(/uu/g, 'u');
}

/** Domain labels that name no company: the TLDs, jp second levels and service hosts. */
const GENERIC_LABELS = new Set([
  'jp', 'co', 'ne', 'or', 'ac', 'go', 'ed', 'lg', 'gr', 'ad', 'com', 'net', 'org', 'biz', 'info', 'example', 'test', 'mail', 'www', 'smtp', 'mx',
  'corp', 'group', 'global', 'japan', 'nippon', 'tokyo', 'osaka', 'hd', 'hq', 'inc', 'kk',
]);
/** English words a domain label may be (soc.security.example.jp): never a company's key, however the domain reads. */
const ENGLISH_WORDS = new Set([
  'security', 'secure', 'system', 'systems', 'service', 'services', 'support', 'network', 'networks', 'data', 'cloud', 'soft', 'software', 'tech',
  'technology', 'solutions', 'solution', 'digital', 'global', 'international', 'holdings', 'group', 'office', 'center', 'energy', 'power', 'health',
  'bank', 'trust', 'life', 'home', 'food', 'foods', 'trade', 'trading', 'general', 'central', 'union', 'first', 'future', 'smart', 'next', 'best',
  'star', 'sun', 'sky', 'green', 'blue', 'gold', 'pacific', 'asia', 'east', 'west', 'north', 'south', 'media', 'press', 'design', 'works', 'factory',
  'industry', 'industries', 'electric', 'motor', 'motors', 'steel', 'chemical', 'logistics', 'partners', 'consulting', 'management', 'admin',
]);

/** The Latin names of a registered company (Himawari Seiki Co., Ltd., or one registered beside the Japanese name). */
function latinCompanyForms(company: string): string[] {
  return companyNameForms(foldWidth(company)).filter((f) => /^[A-Za-z]/.test(f) && /[A-Za-z]{3,}/.test(f));
}

export interface RomajiCompanyKeys {
  /** Words that are the company's own reading (the kana of its name, or its registered Latin form): masked as a company wherever capitalised. */
  sure: string[];
  /** Words only the mail domain suggests: masked beside an English legal form, or alone on a signature line. */
  likely: string[];
}

/**
 * The romaji words that name the member's company: the domain's labels (himawari.example.jp,
 * himawari-seiki.co.jp), sure when they read as the kana of the registered name (ひまわり精機) or
 * begin its registered Latin form, else only likely. English words are never keys.
 */
export function romajiCompanyKeys(company: string, domains: string[]): RomajiCompanyKeys {
  const core = companyCore(company);
  const kanaReadings = (core.match(/[\u3041-\u3096\u30a1-\u30fa\u30fc]{2,}/g) ?? []).map((k) => looseRomaji(kanaToRomaji(k))).filter((r) => r.length >= 4);
  const latinFirst = latinCompanyForms(company).map((f) => companyCore(f).split(/[ ,.&-]+/)[0]?.toLowerCase() ?? '').filter((w) => w.length >= 4);
  const labels = [...new Set(domains.flatMap((d) => d.split('.')).filter((l) => !GENERIC_LABELS.has(l)))];
  const words = labels.flatMap((l) => l.split('-')).filter((w) => /^[a-z]{4,}$/.test(w) && !ENGLISH_WORDS.has(w) && !GENERIC_LABELS.has(w));
  const isSure = (w: string) => kanaReadings.includes(looseRomaji(w)) || latinFirst.includes(w);
  const sure = [...new Set([...words.filter(isSure), ...latinFirst.filter((w) => !ENGLISH_WORDS.has(w))])];
  // Only the first word of a label leads a company's name (himawari of himawari-seiki).
  const leading = labels.map((l) => l.split('-')[0]).filter((w) => words.includes(w));
  return { sure, likely: [...new Set(leading)].filter((w) => !sure.includes(w)) };
}

const escapeRegExp = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
/** An English legal form after the name: Co., Ltd. / Inc. / Corporation / K.K. */
const LEGAL_EN = ',?[ ](?:(?:Co|CO)\\.,?[ ]?(?:Ltd|LTD)\\.?|(?:Co|CO)\\.|(?:Inc|INC)\\.?|Corporation|CORPORATION|(?:Corp|CORP)\\.?|K\\.K\\.?|(?:Ltd|LTD)\\.?|LLC|Holdings|HOLDINGS|Group|GROUP)(?![A-Za-z])';
/** Capitalised words after the key: Himawari Seiki, HIMAWARI SEIKI (not a legal form, not "and"). */
const NAME_WORDS = '(?:[ ](?!(?:Co|Inc|Corp|Corporation|Ltd|LLC|Holdings|Group|CO|INC|CORP|CORPORATION|LTD|LLC|HOLDINGS|GROUP)\\b)(?:[A-Z][a-z]+|[A-Z]{2,})){0,3}';
/** The key as a word, first letter capital: Himawari, HIMAWARI (a lower-case himawari is a host or a user name). */
const keyWord = (key: string) => `${key[0].toUpperCase()}(?:${escapeRegExp(key.slice(1))}|${escapeRegExp(key.slice(1).toUpperCase())})`;
const NOT_IN_WORD_BEFORE = '(?<![A-Za-z0-9.@/_-])';
const NOT_IN_WORD_AFTER = '(?![A-Za-z0-9@_-]|\\.[A-Za-z0-9])';

/** The company's romaji keys as a text may write them, with or without a legal form. */
export function romajiCompanyPatterns(keys: RomajiCompanyKeys): { sure: RegExp | null; likely: RegExp | null; alone: RegExp | null } {
  const build = (words: string[], legal: 'optional' | 'required') => (words.length === 0 ? null : new RegExp(
    `${NOT_IN_WORD_BEFORE}(?:${words.map(keyWord).join('|')})${NAME_WORDS}(?:${LEGAL_EN})${legal === 'optional' ? '?' : ''}${NOT_IN_WORD_AFTER}`, 'gd',
  ));
  const all = [...keys.sure, ...keys.likely];
  return {
    sure: build(keys.sure, 'optional'),
    likely: build(keys.likely, 'required'),
    // A signature line holding the company name alone: "HIMAWARI SEIKI", "Himawari Seiki".
    alone: all.length ? new RegExp(`^[ \\t]*((?:${all.map(keyWord).join('|')})${NAME_WORDS})[ \\t]*$`, 'gdm') : null,
  };
}

const PREFECTURES_ROMAJI = 'Hokkaido|Aomori|Iwate|Miyagi|Akita|Yamagata|Fukushima|Ibaraki|Tochigi|Gunma|Saitama|Chiba|Tokyo|Kanagawa|Niigata|Toyama|Ishikawa|Fukui|Yamanashi|Nagano|Gifu|Shizuoka|Aichi|Mie|Shiga|Kyoto|Osaka|Hyogo|Nara|Wakayama|Tottori|Shimane|Okayama|Hiroshima|Yamaguchi|Tokushima|Kagawa|Ehime|Kochi|Fukuoka|Saga|Nagasaki|Kumamoto|Oita|Miyazaki|Kagoshima|Okinawa';
const BLOCK_EN = '\\d{1,4}(?:-\\d{1,4}){0,3}';
const PLACE_EN = "[A-Z][a-zA-Z']+(?:[ -][A-Z][a-zA-Z']+)?";
/**
 * A Japanese address in romaji: the block number and town before a ward or city, then the
 * prefecture (1-2-3 Kasumigaseki, Chiyoda-ku, Tokyo 100-8901, Japan; Kita-ku, Osaka-shi, Osaka).
 */
export const ROMAJI_ADDRESS = new RegExp(
  `(?:(?:${BLOCK_EN},?[ ]+)?${PLACE_EN}(?:[ ]+${BLOCK_EN})?,?[ ]+)?(?:${BLOCK_EN},?[ ]+)?`
  + `[A-Z][a-z]+-(?:ku|shi|cho|machi|gun|mura|son)(?:,?[ ]+[A-Z][a-z]+-(?:ku|shi|cho|machi|gun))?,?[ ]+(?:${PREFECTURES_ROMAJI})(?:-(?:to|fu|ken)|[ ]Prefecture)?(?![a-z])`
  + '(?:,?[ ]+\\d{3}-?\\d{4})?(?:,?[ ]+Japan)?',
  'gd',
);

/** A label before an address on its line: "Address:", "Add.", "住所：". */
const ADDRESS_LABEL = /^[ \t]*(?:(?:address|addr|add|office|location)\.?|住所|所在地)[ \t]*[:：]?[ \t]*/i;

/** Latin words of contact lines, which name no place: TEL 03-… 〒100-0005 is no English address. */
const CONTACT_WORD = /^(?:phone|mobile|cell|mail|email|fax|tel|http|https|www|mailto|address|addr|office|extension)$/i;
const hasPlaceWord = (line: string) => (line.replace(/\S+@\S+|https?:\/\/\S+/g, '').match(/[A-Za-z]{4,}/g) ?? []).some((w) => !CONTACT_WORD.test(w));

/**
 * English address lines: any line that holds the member's registered postal code beside Latin
 * words (the whole line after a label), and any text shaped like a Japanese address in romaji
 * (in a signature block, its whole line).
 */
export function romajiAddressHits(folded: string, postalCode: string | null, inSignature: (line: number) => boolean): Hit[] {
  const digits = (postalCode ?? '').replace(/\D/g, '');
  const postal = digits.length === 7 ? new RegExp(`(?<!\\d)${digits.slice(0, 3)}[-‐−ー― ]?${digits.slice(3)}(?!\\d)`) : null;
  const out: Hit[] = [];
  const lines = folded.split('\n');
  for (let i = 0, at = 0; i < lines.length; at += lines[i].length + 1, i++) {
    const line = lines[i];
    if (!/[A-Za-z]{3}/.test(line)) continue;
    const shaped = /-(?:ku|shi|cho|machi|gun|mura|son)\b/.test(line) ? [...line.matchAll(ROMAJI_ADDRESS)] : [];
    if ((postal?.test(line) && hasPlaceWord(line)) || (shaped.length && inSignature(i))) {
      const label = ADDRESS_LABEL.exec(line)?.[0].length ?? line.length - line.trimStart().length;
      out.push({ start: at + label, end: at + line.trimEnd().length, kind: 'address' });
      continue;
    }
    for (const m of shaped) out.push({ start: at + m.index, end: at + m.index + m[0].length, kind: 'address' });
  }
  return out.filter((h) => h.end > h.start);
}
