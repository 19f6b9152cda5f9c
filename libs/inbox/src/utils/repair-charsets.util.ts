import { Joiner, Rewriter, Splitter } from '@zone-eu/mailsplit';
import { Readable, Writable } from 'stream';
import { pipeline } from 'stream/promises';
import Encoding from 'encoding-japanese';
import libmime from 'libmime';

/** encoding-japanese's names for what Japanese mail arrives in, and the MIME charset of each. */
const MIME_CHARSET: Record<string, string> = { JIS: 'ISO-2022-JP', SJIS: 'Shift_JIS', EUCJP: 'EUC-JP', UTF8: 'UTF-8' };

export interface RepairedMail {
  raw: Buffer;
  /** Text parts whose encoding could not be told; they are left as they came and shown raw. */
  undecodable: number;
}

/**
 * Labels what Japanese mailers leave unlabelled, before MIME parsing: a text part without
 * `charset=` gets the charset its bytes are in (ISO-2022-JP, Shift_JIS, EUC-JP, UTF-8), and raw
 * Shift_JIS / EUC-JP bytes in the top-level headers (some phone mailers) become RFC 2047 words.
 * Mail that needs neither is returned as it is, without a second pass.
 */
export async function repairCharsets(raw: Buffer, latin1 = raw.toString('latin1')): Promise<RepairedMail> {
  const fixed = repairHeaderBytes(raw);
  if (!hasUnlabelledText(fixed === raw ? latin1 : fixed.toString('latin1'))) return { raw: fixed, undecodable: 0 };
  let undecodable = 0;
  const rewriter = new Rewriter((node) => /^text\//i.test(node.contentType || 'text/plain') && !node.charset);
  rewriter.on('node', ({ node, decoder, encoder }) => {
    const chunks: Buffer[] = [];
    decoder.on('data', (chunk: Buffer) => chunks.push(chunk));
    decoder.on('end', () => {
      const body = Buffer.concat(chunks);
      const detected = Encoding.detect(body);
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

/**
 * Header lines of the top-level block that carry 8-bit bytes which are not UTF-8 are decoded by
 * their detected Japanese encoding and written back as RFC 2047 words (only the non-ASCII words,
 * so addresses stay parseable). Valid UTF-8 headers (RFC 6532) are left alone.
 */
export function repairHeaderBytes(raw: Buffer): Buffer {
  let end = raw.indexOf('\r\n\r\n');
  if (end === -1) end = raw.indexOf('\n\n');
  const head = end === -1 ? raw : raw.subarray(0, end);
  if (!head.some((b) => b >= 0x80) || !head.toString('utf8').includes('\uFFFD')) return raw;
  const lines: Buffer[] = [];
  for (let start = 0; start <= head.length;) {
    const newline = head.indexOf(0x0a, start);
    const stop = newline === -1 ? head.length : newline + 1;
    lines.push(reencodeLine(head.subarray(start, stop)));
    if (newline === -1) break;
    start = stop;
  }
  return Buffer.concat([...lines, raw.subarray(head.length)]);
}

function reencodeLine(line: Buffer): Buffer {
  if (!line.some((b) => b >= 0x80) || !line.toString('utf8').includes('\uFFFD')) return line;
  const detected = Encoding.detect(line);
  if (typeof detected !== 'string' || !MIME_CHARSET[detected]) return line;
  const text = Encoding.convert(line, { to: 'UNICODE', from: detected as Encoding.Encoding, type: 'string' });
  const [, prefix, value, eol] = /^((?:[\x21-\x39\x3b-\x7e]+:)?[ \t]*)(.*?)(\r?\n)?$/s.exec(text) ?? [null, '', text, ''];
  return Buffer.from(`${prefix}${libmime.encodeWords(value, 'B', 0, 'utf-8')}${eol ?? ''}`, 'latin1');
}
