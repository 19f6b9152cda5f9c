import Encoding from 'encoding-japanese';
import iconv from 'iconv-lite';

/** What Outlook packed into winmail.dat (application/ms-tnef): its files and its plain text. */
export interface TnefContent {
  attachments: { filename: string; contentType: string; content: Buffer }[];
  /** The plain-text body (attBody or PR_BODY), when Outlook put one in; RTF-only mail has none. */
  text: string | null;
}

const TNEF_SIGNATURE = 0x223e9f78;

// Attribute ids (MS-OXTNEF 2.1.3.3): the attribute's type in the high word, its id in the low.
const ATT_OEM_CODEPAGE = 0x00069007;
const ATT_BODY = 0x0002800c;
const ATT_MSG_PROPS = 0x00069003;
const ATT_ATTACH_REND_DATA = 0x00069002;
const ATT_ATTACH_TITLE = 0x00018010;
const ATT_ATTACH_DATA = 0x0006800f;
const ATT_ATTACHMENT = 0x00069005;

// MAPI property ids and types (MS-OXPROPS, MS-OXCDATA 2.11.1).
const PR_BODY = 0x1000;
const PR_DISPLAY_NAME = 0x3001;
const PR_ATTACH_DATA = 0x3701;
const PR_ATTACH_FILENAME = 0x3704;
const PR_ATTACH_LONG_FILENAME = 0x3707;
const PR_ATTACH_MIME_TAG = 0x370e;
const PT_STRING8 = 0x001e;
const PT_UNICODE = 0x001f;
const PT_BINARY = 0x0102;
const PT_OBJECT = 0x000d;
const MV_FLAG = 0x1000;
const FIXED_SIZE: Record<number, number> = {
  0x0002: 4, 0x0003: 4, 0x0004: 4, 0x0005: 8, 0x0006: 8, 0x0007: 8, 0x000a: 4, 0x000b: 4, 0x0014: 8, 0x0040: 8, 0x0048: 16,
};

export const isTnef = (data: Buffer): boolean => data.length >= 6 && data.readUInt32LE(0) === TNEF_SIGNATURE;

type Props = Map<number, { type: number; value: Buffer }>;

/**
 * Reads a TNEF stream (MS-OXTNEF): each attachment's name (PR_ATTACH_LONG_FILENAME, else the
 * 8.3 name or attAttachTitle; 8-bit names in the stream's OEM code page, CP932 from Japanese
 * Outlook) and bytes, and the plain-text body if there is one. Returns null for anything that is
 * no TNEF or breaks off before its first attribute; never throws.
 */
export function readTnef(data: Buffer): TnefContent | null {
  if (!isTnef(data)) return null;
  let codepage: number | null = null;
  let body: Buffer | null = null;
  let messageProps: Props = new Map();
  const found: { title?: Buffer; data?: Buffer; props: Props }[] = [];
  const current = () => found.at(-1) ?? (found.push({ props: new Map() }), found[found.length - 1]);
  let offset = 6;
  while (offset + 9 <= data.length) {
    const level = data[offset];
    const id = data.readUInt32LE(offset + 1);
    const length = data.readUInt32LE(offset + 5);
    const end = offset + 9 + length;
    if (end > data.length) break; // cut short: keep what was read
    const value = data.subarray(offset + 9, end);
    offset = end + 2; // the checksum, which writers get wrong often enough not to be trusted
    if (id === ATT_OEM_CODEPAGE && length >= 4) codepage = value.readUInt32LE(0);
    else if (level === 1 && id === ATT_BODY) body = value;
    else if (level === 1 && id === ATT_MSG_PROPS) messageProps = readProps(value);
    else if (level === 2 && id === ATT_ATTACH_REND_DATA) found.push({ props: new Map() });
    else if (level === 2 && id === ATT_ATTACH_TITLE) current().title = value;
    else if (level === 2 && id === ATT_ATTACH_DATA) current().data = value;
    else if (level === 2 && id === ATT_ATTACHMENT) current().props = new Map([...current().props, ...readProps(value)]);
  }
  const text = (p: Props, key: number): string | null => {
    const prop = p.get(key);
    if (!prop) return null;
    return (prop.type === PT_UNICODE ? prop.value.toString('utf16le') : decodeOem(prop.value, codepage)).replace(/\0+$/, '');
  };
  const attachments = found.flatMap((a) => {
    const attachData = a.props.get(PR_ATTACH_DATA);
    const content = a.data ?? (attachData?.type === PT_BINARY ? attachData.value : null);
    if (!content) return []; // an embedded Outlook item (PT_OBJECT) or an OLE object: not a file
    const filename = text(a.props, PR_ATTACH_LONG_FILENAME) || text(a.props, PR_ATTACH_FILENAME)
      || (a.title ? decodeOem(a.title, codepage) : '') || text(a.props, PR_DISPLAY_NAME) || '';
    return [{ filename, contentType: text(a.props, PR_ATTACH_MIME_TAG) || 'application/octet-stream', content }];
  });
  const plain = body ? decodeOem(body, codepage) : text(messageProps, PR_BODY);
  return { attachments, text: plain?.trim() ? plain : null };
}

/**
 * 8-bit text in the stream's OEM code page; where that is missing or unknown to iconv-lite,
 * in what the bytes look like (Japanese Outlook's CP932, UTF-8), else Windows-1252.
 */
function decodeOem(raw: Buffer, codepage: number | null): string {
  let end = raw.length;
  while (end > 0 && raw[end - 1] === 0) end--; // C strings end in NUL, which detection takes for binary
  const bytes = raw.subarray(0, end);
  if (codepage === 65001) return bytes.toString('utf8');
  if (codepage !== null && iconv.encodingExists(`cp${codepage}`)) return iconv.decode(bytes, `cp${codepage}`);
  const detected = Encoding.detect(bytes);
  if (detected === 'UTF8') return bytes.toString('utf8');
  if (detected === 'SJIS') return iconv.decode(bytes, 'cp932');
  if (detected === 'EUCJP') return iconv.decode(bytes, 'euc-jp');
  return iconv.decode(bytes, 'cp1252');
}

/** A MAPI property list (MS-OXTNEF 2.1.3.4); what cannot be read ends the list. */
function readProps(data: Buffer): Props {
  const props: Props = new Map();
  if (data.length < 4) return props;
  const count = data.readUInt32LE(0);
  let offset = 4;
  const need = (n: number) => {
    if (offset + n > data.length) throw new RangeError('MAPI property list cut short');
  };
  try {
    for (let i = 0; i < count; i++) {
      need(4);
      const type = data.readUInt16LE(offset);
      const id = data.readUInt16LE(offset + 2);
      offset += 4;
      if (id >= 0x8000) { // a named property: its GUID, then a number or a UTF-16 name
        need(20);
        const kind = data.readUInt32LE(offset + 16);
        offset += 20;
        if (kind === 0) offset += 4;
        else {
          need(4);
          offset += 4 + pad4(data.readUInt32LE(offset));
        }
      }
      const base = type & ~MV_FLAG;
      const variable = base === PT_STRING8 || base === PT_UNICODE || base === PT_BINARY || base === PT_OBJECT;
      if (!variable && !FIXED_SIZE[base]) break; // an unknown type: its size cannot be told
      let values = 1;
      if (variable || type & MV_FLAG) {
        need(4);
        values = data.readUInt32LE(offset);
        offset += 4;
      }
      for (let v = 0; v < values; v++) {
        if (!variable) {
          need(FIXED_SIZE[base]);
          offset += FIXED_SIZE[base];
          continue;
        }
        need(4);
        const size = data.readUInt32LE(offset);
        need(4 + size);
        const value = data.subarray(offset + 4, offset + 4 + size);
        offset += 4 + pad4(size);
        if (v === 0 && id < 0x8000 && !(type & MV_FLAG)) props.set(id, { type: base, value });
      }
    }
  } catch (err) {
    if (!(err instanceof RangeError)) throw err;
  }
  return props;
}

const pad4 = (n: number): number => (n + 3) & ~3;
