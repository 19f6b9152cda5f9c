/**
 * Files that old mailers (AL-Mail, early Becky!, scripts) send uuencoded inside the text body
 * ("begin 644 name" … "end") instead of as MIME parts. mailparser leaves them in the text, where
 * staff would see lines of noise instead of a file.
 */
export interface UuencodedFile {
  filename: string;
  content: Buffer;
}

const BEGIN = /^begin [0-7]{3,4} ([^\r\n]+)$/;
/** One encoded line: a length character, then groups of four characters in ` to `. */
const DATA_LINE = /^[\x20-\x60]+$/;

/** Decodes one uuencoded line, or null when its length character does not fit its data. */
function decodeLine(line: string): Buffer | null {
  const length = (line.charCodeAt(0) - 32) & 63;
  const data = line.slice(1);
  if (Math.ceil(length / 3) * 4 > data.length) return null;
  const out = Buffer.alloc(length);
  for (let i = 0, o = 0; o < length; i += 4) {
    const [a, b, c, d] = [0, 1, 2, 3].map((k) => ((data.charCodeAt(i + k) || 32) - 32) & 63);
    const bytes = [(a << 2) | (b >> 4), ((b & 15) << 4) | (c >> 2), ((c & 3) << 6) | d];
    for (const byte of bytes) if (o < length) out[o++] = byte;
  }
  return out;
}

/**
 * Takes every complete, well-formed uuencoded block out of a text: the text without them and the
 * files they held. A block that does not decode cleanly stays in the text as it was.
 */
export function extractUuencoded(text: string): { text: string; files: UuencodedFile[] } {
  if (!/^begin /m.test(text)) return { text, files: [] };
  const lines = text.split('\n');
  const kept: string[] = [];
  const files: UuencodedFile[] = [];
  for (let i = 0; i < lines.length; i++) {
    const begin = BEGIN.exec(lines[i].replace(/\r$/, ''));
    const block = begin ? decodeBlock(lines, i + 1) : null;
    if (!begin || !block) {
      kept.push(lines[i]);
      continue;
    }
    files.push({ filename: begin[1].trim(), content: block.content });
    // The blank lines that set the block apart become one.
    const blank = (line: string | undefined) => line !== undefined && /^\s*$/.test(line);
    i = blank(kept.at(-1)) && blank(lines[block.end + 1]) ? block.end + 1 : block.end;
  }
  return { text: kept.join('\n'), files };
}

/** The bytes of the block whose data starts at `from`, and the index of its "end" line. */
function decodeBlock(lines: string[], from: number): { content: Buffer; end: number } | null {
  const parts: Buffer[] = [];
  for (let i = from; i < lines.length; i++) {
    const line = lines[i].replace(/\r$/, '');
    if (/^end[ \t]*$/.test(line)) return { content: Buffer.concat(parts), end: i };
    if (!DATA_LINE.test(line)) return null;
    const decoded = decodeLine(line);
    if (!decoded) return null;
    parts.push(decoded);
  }
  return null;
}
