import { Joiner, Rewriter, Splitter } from '@zone-eu/mailsplit';
import { Readable, Writable } from 'stream';
import { pipeline } from 'stream/promises';
import Encoding from 'encoding-japanese';
import iconv from 'iconv-lite';
import libmime from 'libmime';
import { Carrier, hasSjisPictogram, sjisPictogram } from './carrier-pictograms.util';

/** encoding-japanese's names for what Japanese mail arrives in, and the MIME charset of each. */
const MIME_CHARSET: Record<string, string> = { JIS: 'ISO-2022-JP', SJIS: 'Shift_JIS', EUCJP: 'EUC-JP', UTF8: 'UTF-8' };

export interface RepairedMail {
  raw: Buffer;
  /** Text parts whose encoding could not be told; they are left as they came and shown raw. */
  undecodable: number;
}

/** Labels under which mailers send text that mailparser would decode wrongly (see repairCharsets). */
const US_ASCII = /^(?:us-?ascii|ascii|ansi_x3\.4-1968)$/i;
const UTF7 = /^(?:unicode-1-1-)?utf-?7$/i;
const SHIFT_JIS = /^(?:shift[_-]?jis|x-sjis|sjis|windows-31j|cp932|ms932|ms_kanji|csshiftjis)$/i;
const SUSPECT_LABEL = /charset\s*=\s*"?(?:us-?ascii|ascii|(?:unicode-1-1-)?utf-?7)"?\s*(?:;|$)/im;
const SUSPECT_OR_SHIFT_JIS_LABEL = /charset\s*=\s*"?(?:us-?ascii|ascii|(?:unicode-1-1-)?utf-?7|shift[_-]?jis|x-sjis|sjis|windows-31j|cp932|ms932|ms_kanji|csshiftjis)"?\s*(?:;|$)/im;

/**
 * Labels what Japanese mailers leave unlabelled or mislabel, before MIME parsing: a text part
 * without `charset=` (or labelled US-ASCII while holding ISO-2022-JP escapes or 8-bit bytes) gets
 * the charset its bytes are in (ISO-2022-JP, Shift_JIS, EUC-JP, UTF-8), and raw Shift_JIS / EUC-JP
 * bytes in the top-level headers (some phone mailers) become RFC 2047 words. Two labels mailparser
 * decodes lossily are converted to UTF-8 here: UTF-7 (it refuses it, to keep `+ADw-script+AD4-`
 * out of HTML; ours is sanitised after decoding) and, with `pictograms`, Shift_JIS with
 * user-defined characters (phone pictograms), which iconv-lite's CP932 table only partly maps and
 * never as emoji (the caller asks for that only when a first parse met U+FFFD or private-use
 * characters, or the sender is a carrier). `carrier` (from the sender's domain) says whose
 * pictograms they are. Mail that needs none of this is returned as it is, without a second pass.
 */
export async function repairCharsets(
  raw: Buffer, latin1 = raw.toString('latin1'), { pictograms = false, carrier = null as Carrier | null } = {},
): Promise<RepairedMail> {
  const fixed = repairHeaderBytes(raw, pictograms, carrier);
  const text = fixed === raw ? latin1 : fixed.toString('latin1');
  const suspect = pictograms ? SUSPECT_OR_SHIFT_JIS_LABEL : SUSPECT_LABEL;
  if (!hasUnlabelledText(text) && !suspect.test(text)) return { raw: fixed, undecodable: 0 };
  let undecodable = 0;
  const rewriter = new Rewriter((node) => /^text\//i.test(node.contentType || 'text/plain') && (!node.charset || suspect.test(`charset=${node.charset}`)));
  rewriter.on('node', ({ node, decoder, encoder }) => {
    const chunks: Buffer[] = [];
    decoder.on('data', (chunk: Buffer) => chunks.push(chunk));
    decoder.on('end', () => {
      const body = Buffer.concat(chunks);
      const label = node.charset || '';
      if (UTF7.test(label)) {
        node.setCharset('UTF-8');
        return encoder.end(Buffer.from(iconv.decode(body, 'utf7'), 'utf8'));
      }
      if (SHIFT_JIS.test(label)) {
        if (!hasSjisPictogram(body, carrier)) return encoder.end(body);
        node.setCharset('UTF-8');
        return encoder.end(Buffer.from(decodeCp932(body, carrier), 'utf8'));
      }
      // A US-ASCII label is believed unless the bytes say otherwise.
      if (US_ASCII.test(label) && !body.some((b) => b === 0x1b || b >= 0x80)) return encoder.end(body);
      const detected = Encoding.detect(body);
      if (detected === 'SJIS' && hasSjisPictogram(body, carrier)) {
        node.setCharset('UTF-8');
        return encoder.end(Buffer.from(decodeCp932(body, carrier), 'utf8'));
      }
      if (typeof detected === 'string' && MIME_CHARSET[detected]) node.setCharset(MIME_CHARSET[detected]);
      else if (detected !== 'ASCII') undecodable++;
      encoder.end(body);
    });
  });
  const out: Buffer[] = [];
  const collect = new Writable({ write(chunk: Buffer, _encoding, done) { out.push(chunk); done(); } });
  await pipeline(Readable.from([fixed]), new Splitter(), rewriter, new Joiner(), collect);
  return { raw: Buffer.concat(out), undecodable };
}

/** A quick look for a text part (or a message without Content-Type) that names no charset. */
function hasUnlabelledText(text: string): boolean {
  const headerEnd = text.search(/\r?\n\r?\n/);
  const topHeaders = headerEnd === -1 ? text : text.slice(0, headerEnd);
  if (!/^content-type:/im.test(topHeaders)) return /[\x1b\x80-\xff]/.test(text.slice(headerEnd));
  return [...text.matchAll(/^content-type:[ \t]*text\/[^\r\n]*(?:\r?\n[ \t][^\r\n]*)*/gim)].some((m) => !/charset\s*=/i.test(m[0]));
}

const isSjisLead = (b: number): boolean => (b >= 0x81 && b <= 0x9f) || (b >= 0xe0 && b <= 0xfc);

/**
 * CP932 with the user-defined area (F040-F9FC, where phone mailers put pictograms) read as the
 * sender's carrier's pictograms: Unicode emoji where one stands for them, 〓 otherwise (see
 * sjisPictogram). iconv-lite decodes the rest.
 */
export function decodeCp932(body: Buffer, carrier: Carrier | null = null): string {
  let text = '';
  let from = 0;
  for (let i = 0; i < body.length; i++) {
    if (!isSjisLead(body[i])) continue;
    const pictogram = sjisPictogram(body[i], body[i + 1], carrier);
    if (pictogram !== null) {
      text += iconv.decode(body.subarray(from, i), 'cp932') + pictogram;
      from = i + 2;
    }
    i++;
  }
  return text + iconv.decode(body.subarray(from), 'cp932');
}

/** An RFC 2047 word in a Shift_JIS label (a phone mailer's subject may hold pictograms). */
const SJIS_WORD = /=\?(?:shift[_-]?jis|x-sjis|sjis|windows-31j|cp932|ms932)(?:\*[^?]*)?\?([bq])\?([^?\s]*)\?=/gi;
const isForeign = (bytes: Buffer): boolean => bytes.some((b) => b >= 0x80) && bytes.toString('utf8').includes('\uFFFD');

/**
 * Header lines of the top-level block that carry 8-bit bytes which are not UTF-8, or ISO-2022-JP
 * escapes outside any RFC 2047 word (old mailers), are decoded by their detected Japanese encoding
 * and written back as RFC 2047 words (only the non-ASCII words, so addresses stay parseable).
 * With `pictograms`, Shift_JIS words holding user-defined characters become UTF-8 words (see
 * decodeCp932). Valid UTF-8 headers (RFC 6532) are left alone.
 */
export function repairHeaderBytes(raw: Buffer, pictograms = false, carrier: Carrier | null = null): Buffer {
  let end = raw.indexOf('\r\n\r\n');
  if (end === -1) end = raw.indexOf('\n\n');
  const head = end === -1 ? raw : raw.subarray(0, end);
  if (!isForeign(head) && !head.includes(0x1b) && !(pictograms && hasSjisWord(head.toString('latin1')))) return raw;
  const lines: Buffer[] = [];
  for (let start = 0; start <= head.length;) {
    const newline = head.indexOf(0x0a, start);
    const stop = newline === -1 ? head.length : newline + 1;
    lines.push(reencodeLine(head.subarray(start, stop), pictograms, carrier));
    if (newline === -1) break;
    start = stop;
  }
  return Buffer.concat([...lines, raw.subarray(head.length)]);
}

function hasSjisWord(text: string): boolean {
  SJIS_WORD.lastIndex = 0;
  return SJIS_WORD.test(text);
}

function reencodeLine(line: Buffer, pictograms: boolean, carrier: Carrier | null): Buffer {
  if (!isForeign(line) && !line.includes(0x1b)) return pictograms && hasSjisWord(line.toString('latin1')) ? pictogramWords(line, carrier) : line;
  const detected = Encoding.detect(line);
  if (typeof detected !== 'string' || !MIME_CHARSET[detected]) return line;
  // encoding-japanese turns a pictogram into '?'; CP932 with the carrier's pictograms keeps it.
  const text = detected === 'SJIS' ? decodeCp932(line, carrier) : Encoding.convert(line, { to: 'UNICODE', from: detected as Encoding.Encoding, type: 'string' });
  const [, prefix, value, eol] = /^((?:[\x21-\x39\x3b-\x7e]+:)?[ \t]*)(.*?)(\r?\n)?$/s.exec(text) ?? [null, '', text, ''];
  return Buffer.from(`${prefix}${libmime.encodeWords(value, 'B', 0, 'utf-8')}${eol ?? ''}`, 'latin1');
}

/** Shift_JIS words with user-defined characters rewritten as UTF-8 words; others as they were. */
function pictogramWords(line: Buffer, carrier: Carrier | null): Buffer {
  const text = line.toString('latin1').replace(SJIS_WORD, (word, encoding: string, data: string) => {
    const bytes = encoding.toLowerCase() === 'b'
      ? Buffer.from(data, 'base64')
      : Buffer.from(data.replace(/_/g, ' ').replace(/=([0-9a-f]{2})/gi, (_, hex: string) => String.fromCharCode(parseInt(hex, 16))), 'latin1');
    return hasSjisPictogram(bytes, carrier) ? `=?UTF-8?B?${Buffer.from(decodeCp932(bytes, carrier), 'utf8').toString('base64')}?=` : word;
  });
  return Buffer.from(text, 'latin1');
}
