import { CARRIER_EMOJI } from './carrier-emoji.data';

/** Japanese carriers whose feature phones (and early smartphones) send their own pictograms (絵文字). */
export type Carrier = 'docomo' | 'au' | 'softbank';

/** The geta mark Japanese mail software shows for a character it cannot show: never drop one silently. */
export const GETA = '\u3013';

const CARRIER_DOMAINS: [RegExp, Carrier][] = [
  [/(?:^|\.)docomo\.ne\.jp$/, 'docomo'],
  [/(?:^|\.)(?:ezweb\.ne\.jp|au\.com)$/, 'au'],
  [/(?:^|\.)(?:softbank\.ne\.jp|i\.softbank\.jp|disney\.ne\.jp|vodafone\.ne\.jp)$/, 'softbank'],
];

/** The carrier a sender's mail domain belongs to; its pictogram codes are read by it. */
export function carrierOf(address: string | null | undefined): Carrier | null {
  const domain = address?.split('@').pop()?.trim().toLowerCase().replace(/\.$/, '');
  if (!domain) return null;
  return CARRIER_DOMAINS.find(([pattern]) => pattern.test(domain))?.[1] ?? null;
}

/** The carrier of the address in the raw From header (before MIME parsing, which needs it). */
export function carrierOfRawHeaders(head: string): Carrier | null {
  const from = /^from:((?:[^\r\n]|\r?\n[ \t])*)/im.exec(head)?.[1] ?? '';
  const addresses = [...from.matchAll(/[^\s<>"'@(),;:]+@([a-z0-9.-]+)/gi)];
  return carrierOf(addresses.at(-1)?.[0]);
}

/**
 * Where each carrier's Shift_JIS pictograms sit, as [first, last, private-use code point of first]
 * counted from F040 at 188 codes per lead byte (the offset CP932 gives the user-defined area,
 * extended past F9 for SoftBank's FB row). docomo's and part of au's private-use codes are CP932's
 * own; the rest are each carrier's specification, as PHP mbstring's SJIS-Mobile tables read them.
 */
const SJIS_RANGES: Record<Carrier, [number, number, number][]> = {
  docomo: [[0x63e, 0x757, 0xe63e]],
  au: [
    [0x234, 0x246, 0xe5cd], [0x247, 0x2c1, 0xea80], [0x2c2, 0x33c, 0xeb0e], [0x33d, 0x342, 0xeb89],
    [0x468, 0x5b4, 0xe468], [0x5b5, 0x5c7, 0xeafb], [0x5c8, 0x5df, 0xe5b5],
  ],
  softbank: [
    [0x525, 0x57e, 0xe101], [0x584, 0x5dd, 0xe201], [0x69d, 0x6f6, 0xe001], [0x6fc, 0x748, 0xe301],
    [0x815, 0x860, 0xe401], [0x874, 0x8b1, 0xe501],
  ],
};

/** The private-use code points each carrier sends its pictograms as in UTF-8 mail. */
const UNICODE_RANGES: Record<Carrier, [number, number][]> = Object.fromEntries(
  Object.entries(SJIS_RANGES).map(([carrier, ranges]) => [carrier, ranges.map(([first, last, pua]) => [pua, pua + last - first])]),
) as Record<Carrier, [number, number][]>;

const isSjisTrail = (b: number | undefined): b is number => b !== undefined && b >= 0x40 && b <= 0xfc && b !== 0x7f;

/** A Shift_JIS double-byte code's offset from F040, or null when it is outside F040-FCFC. */
function userAreaOffset(lead: number, trail: number | undefined): number | null {
  if (lead < 0xf0 || lead > 0xfc || !isSjisTrail(trail)) return null;
  return (lead - 0xf0) * 188 + (trail < 0x7f ? trail - 0x40 : trail - 0x41);
}

/** Whose ranges an unknown sender is read by: docomo's codes are CP932's own, so only those. */
const readAs = (carrier: Carrier | null): Carrier => carrier ?? 'docomo';

/**
 * What a Shift_JIS double-byte code from the user-defined area stands for: the carrier's
 * pictogram as a Unicode emoji, 〓 for a pictogram without one or any other user-defined
 * character (外字), or null when the code is no such character (FA-FC hold IBM kanji in CP932,
 * except SoftBank's FB pictogram rows).
 */
export function sjisPictogram(lead: number, trail: number | undefined, carrier: Carrier | null): string | null {
  const offset = userAreaOffset(lead, trail);
  if (offset === null) return null;
  const range = SJIS_RANGES[readAs(carrier)].find(([first, last]) => offset >= first && offset <= last);
  if (range) return emojiFor(readAs(carrier), range[2] + offset - range[0]) ?? GETA;
  return lead <= 0xf9 ? GETA : null;
}

let emojiTables: Record<Carrier, Map<number, string>> | null = null;
function emojiFor(carrier: Carrier, pua: number): string | undefined {
  emojiTables ??= Object.fromEntries(Object.entries(CARRIER_EMOJI).map(([name, list]) => [name, new Map(list.split(' ').map((entry) => {
    const [code, unified] = entry.split(':');
    return [parseInt(code, 16), String.fromCodePoint(...unified.split('-').map((hex) => parseInt(hex, 16)))];
  }))])) as Record<Carrier, Map<number, string>>;
  return emojiTables[carrier].get(pua);
}

const CARRIER_PUA = /[\uE001-\uE757\uEA80-\uEB8E]/g;

/**
 * Carrier pictograms sent as private-use code points (UTF-8 mail from carrier phones) become
 * Unicode emoji, or 〓 where none stands for them. Private-use characters from senders of no
 * carrier are left alone except in docomo's range (what CP932 makes of docomo's Shift_JIS).
 */
export function replaceCarrierPua(text: string, carrier: Carrier | null): string {
  const ranges = UNICODE_RANGES[readAs(carrier)];
  return text.replace(CARRIER_PUA, (ch) => {
    const cp = ch.charCodeAt(0);
    if (!ranges.some(([first, last]) => cp >= first && cp <= last)) return ch;
    return emojiFor(readAs(carrier), cp) ?? GETA;
  });
}

/** Whether a Shift_JIS body holds a user-defined character or, from SoftBank, its FB pictograms. */
export function hasSjisPictogram(body: Buffer, carrier: Carrier | null): boolean {
  for (let i = 0; i < body.length; i++) {
    const b = body[i];
    if (b < 0x81 || (b > 0x9f && b < 0xe0) || b > 0xfc) continue;
    if (sjisPictogram(b, body[i + 1], carrier) !== null) return true;
    i++;
  }
  return false;
}
