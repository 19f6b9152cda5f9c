import { AddressObject, ParsedMail, simpleParser } from 'mailparser';
import { carrierOf, carrierOfRawHeaders, replaceCarrierPua } from './carrier-pictograms.util';
import { extractUuencoded } from './extract-uuencoded.util';
import { isTnef, readTnef } from './read-tnef.util';
import { repairCharsets } from './repair-charsets.util';
import { sanitizeMailHtml } from './sanitize-mail-html.util';

export interface ParsedAttachment {
  filename: string;
  contentType: string;
  content: Buffer;
}

export interface ParsedInbound {
  fromAddress: string | null;
  messageId: string | null;
  inReplyTo: string | null;
  references: string[];
  subject: string;
  text: string;
  html: string | null;
  headers: Record<string, string>;
  attachments: ParsedAttachment[];
  /** What could not be parsed; the raw source is then shown to staff. */
  problem: string | null;
}

const firstAddress = (value: AddressObject | AddressObject[] | undefined): string | null => {
  const list = Array.isArray(value) ? value : value ? [value] : [];
  for (const group of list) for (const a of group.value) if (a.address) return a.address.trim().toLowerCase();
  return null;
};

/** Structural faults mailparser silently works around; reported so staff see the raw source. */
export function findStructuralProblem(raw: Buffer, text = raw.toString('latin1')): string | null {
  if (raw.includes(0)) return 'NUL バイトを含むメールです';
  const split = text.search(/\r?\n\r?\n/);
  const head = split === -1 ? text : text.slice(0, split);
  if (split === -1 && !/^[\x21-\x39\x3b-\x7e]+:/.test(text)) return 'ヘッダーと本文の区切りがありません';
  const badLine = head.split(/\r?\n/).find((line) => line !== '' && !/^[ \t]/.test(line) && !/^[\x21-\x39\x3b-\x7e]+:/.test(line));
  if (badLine !== undefined) return `不正なヘッダー行があります: ${badLine.slice(0, 60)}`;
  const boundary = /boundary="?([^";\r\n]+)"?/i.exec(head)?.[1];
  if (boundary && /multipart\//i.test(head) && !text.includes(`--${boundary}--`)) return 'マルチパートの終端がありません';
  return null;
}

/** Parses a raw message with mailparser; never throws (a failure yields the raw text and a problem). */
export async function parseInboundMail(raw: Buffer): Promise<ParsedInbound> {
  return withoutNul(await parse(raw, true));
}

/** The line a forwarded mail starts with in the text (split-quoted-text folds it as history). */
export const FORWARD_RULE = '---------- 転送メッセージ ----------';
const isForwardedMail = (a: ParsedAttachment): boolean => /^message\/(?:rfc822|global)$/i.test(a.contentType) || /\.eml$/i.test(a.filename);

/**
 * A mail forwarded as an attachment (the phishing sample a member sends for analysis) as staff
 * read it: its own headers, the names of its files and its text, below the member's text. Its
 * attachments stay inside the .eml. A file that is no mail (binary, no headers) adds nothing.
 */
async function forwardedText(content: Buffer): Promise<{ subject: string; text: string | null }> {
  const inner = await parse(content, false);
  if (content.includes(0) || Object.keys(inner.headers).length === 0) return { subject: '', text: null };
  const field = (name: string, value: string | undefined) => (value ? [`${name}: ${value.replace(/[\r\n]+/g, ' ')}`] : []);
  return {
    subject: inner.subject,
    text: [
      FORWARD_RULE, ...field('From', inner.fromText), ...field('Date', inner.headers.date?.split('\n')[0]), ...field('Subject', inner.subject),
      ...field('To', inner.toText), ...field('Attachments', inner.attachments.map((a) => a.filename).join(', ')), '', inner.text.trim(),
    ].join('\n'),
  };
}

const SHIFT_JIS_LABEL = /=\?(?:shift[_-]?jis|x-sjis|sjis|windows-31j|cp932|ms932)\?|charset\s*=\s*"?(?:shift[_-]?jis|x-sjis|sjis|windows-31j|cp932|ms932|ms_kanji|csshiftjis)\b/i;
/** U+FFFD or a private-use character: what iconv-lite makes of a Shift_JIS pictogram or 外字. */
const hasUnmappedCharacter = (mail: ParsedMail): boolean =>
  [mail.subject, mail.text, typeof mail.html === 'string' ? mail.html : ''].some((t) => t && /[\uFFFD\uE000-\uF8FF]/.test(t));

/** A file name for a forwarded mail that came without one: its subject, safe as a file name. */
const emlName = (subject: string): string => `${subject.replace(/[\\/:*?"<>|\x00-\x1f]+/g, '_').trim().slice(0, 150) || 'forwarded'}.eml`;

/**
 * NUL characters become U+FFFD in everything parsed (PostgreSQL text cannot hold them; the raw
 * source keeps the bytes, and such a mail is already marked with a problem).
 */
function withoutNul<T>(value: T): T {
  if (typeof value === 'string') return (value.includes('\u0000') ? value.replace(/\u0000/g, '\uFFFD') : value) as T;
  if (Buffer.isBuffer(value) || value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) return value.map(withoutNul) as T;
  return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, withoutNul(v)])) as T;
}

const isWinmail = (a: ParsedAttachment): boolean =>
  (/^application\/(?:vnd\.)?ms-tnef$/i.test(a.contentType) || /^winmail\.dat$/i.test(a.filename)) && isTnef(a.content);

/**
 * Outlook's winmail.dat (TNEF) replaced by the files and text inside it, so staff see the real
 * files (which then go through storage and encrypted-file detection as any other); the raw source
 * keeps winmail.dat. One that yields nothing is kept, so nothing the sender sent goes missing.
 */
function unpackWinmail(attachments: ParsedAttachment[]): { attachments: ParsedAttachment[]; text: string | null } {
  let text: string | null = null;
  const unpacked = attachments.flatMap((a) => {
    if (!isWinmail(a)) return [a];
    const tnef = readTnef(a.content);
    if (!tnef || (tnef.attachments.length === 0 && !tnef.text)) return [a];
    text ??= tnef.text;
    return tnef.attachments;
  });
  return { attachments: unpacked, text };
}

/** `outer` is the mail itself; a forwarded mail inside it is parsed with `outer` false, once. */
async function parse(raw: Buffer, outer: boolean): Promise<ParsedInbound & { fromText?: string; toText?: string }> {
  const text = raw.toString('latin1'); // one byte-for-byte view of the source for both checks
  let problem = findStructuralProblem(raw, text);
  // A carrier's phone pictograms are read by its own tables, told by the sender's domain.
  const headerEnd = text.search(/\r?\n\r?\n/);
  const carrier = carrierOfRawHeaders(headerEnd === -1 ? text : text.slice(0, headerEnd));
  // Unlabelled Japanese text and raw Shift_JIS headers are labelled first; should that pass
  // itself fail on broken MIME, mailparser gets the bytes as they came.
  const repairedParse = async (pictograms: boolean) => {
    const repaired = await repairCharsets(raw, text, { pictograms, carrier }).catch(() => ({ raw, undecodable: 0 }));
    return { repaired, parsed: await simpleParser(repaired.raw, { skipImageLinks: true, skipTextToHtml: true, skipTextLinks: true }) };
  };
  let result: Awaited<ReturnType<typeof repairedParse>> | null = null;
  try {
    // Phone pictograms in Shift_JIS, which iconv-lite leaves as U+FFFD or private-use characters,
    // are mapped to emoji in a pass of their own: at once for a carrier's mail, else in a second
    // pass which only such mail pays for.
    const sjis = SHIFT_JIS_LABEL.test(text);
    result = await repairedParse(sjis && carrier !== null);
    if (sjis && carrier === null && hasUnmappedCharacter(result.parsed)) result = await repairedParse(true);
  } catch (err) {
    problem = `MIME を解析できません: ${err instanceof Error ? err.message : String(err)}`;
  }
  if (result && result.repaired.undecodable > 0) problem ??= '文字コードを判別できない本文があります';
  const parsed = result?.parsed ?? null;
  if (!parsed) {
    return {
      fromAddress: null, messageId: null, inReplyTo: null, references: [], subject: '(解析できないメール)',
      text: raw.toString('utf8'), html: null, headers: {}, attachments: [], problem,
    };
  }
  const headers: Record<string, string> = {};
  for (const line of parsed.headerLines) {
    const name = line.key;
    const value = line.line.slice(line.line.indexOf(':') + 1).trim();
    headers[name] = headers[name] ? `${headers[name]}\n${value}` : value;
  }
  const references = (Array.isArray(parsed.references) ? parsed.references : parsed.references ? [parsed.references] : [])
    .flatMap((r) => r.split(/\s+/)).filter(Boolean);
  // Pictograms a carrier's phone sent as private-use characters (UTF-8 mail) are shown as emoji.
  const fromAddress = firstAddress(parsed.from);
  const withEmoji = (value: string) => replaceCarrierPua(value, carrierOf(fromAddress) ?? carrier);
  const html = typeof parsed.html === 'string' && parsed.html ? sanitizeMailHtml(withEmoji(parsed.html)) : null;
  const uuencoded = extractUuencoded(withEmoji(parsed.text ?? (parsed.html ? String(parsed.html).replace(/<[^>]+>/g, ' ') : '')));
  const winmail = unpackWinmail(parsed.attachments.filter((a) => Buffer.isBuffer(a.content))
    .map((a) => ({ filename: a.filename ?? '', contentType: a.contentType || 'application/octet-stream', content: a.content })));
  const attachments: ParsedAttachment[] = [
    ...winmail.attachments,
    ...uuencoded.files.map((f) => ({ filename: f.filename, contentType: 'application/octet-stream', content: f.content })),
  ];
  // Outlook's RTF mail may carry its only text inside winmail.dat.
  const texts = [uuencoded.text.trim() || !winmail.text ? uuencoded.text : withEmoji(winmail.text)];
  if (outer) {
    for (const a of attachments.filter(isForwardedMail)) {
      const forwarded = await forwardedText(a.content);
      a.filename ||= emlName(forwarded.subject);
      if (forwarded.text) texts.push(forwarded.text);
    }
  }
  return {
    fromAddress,
    fromText: parsed.from && !Array.isArray(parsed.from) ? parsed.from.text : undefined,
    toText: parsed.to && !Array.isArray(parsed.to) ? parsed.to.text : undefined,
    messageId: parsed.messageId?.trim() || null,
    inReplyTo: parsed.inReplyTo?.trim() || null,
    references,
    subject: withEmoji(parsed.subject ?? '').replace(/[\r\n]+/g, ' ').trim(),
    text: texts.length === 1 ? texts[0] : texts.map((t) => t.trimEnd()).filter(Boolean).join('\n\n'),
    html,
    headers,
    attachments: attachments.map((a, i) => ({ ...a, filename: a.filename || `attachment-${i + 1}` })),
    problem,
  };
}
