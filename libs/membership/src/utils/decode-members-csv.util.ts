import { isUtf8 } from 'node:buffer';
import { parse } from 'csv-parse/sync';
import iconv from 'iconv-lite';
import { CsvProblem } from './parse-members-csv.util';

export type CsvEncoding = 'utf8' | 'sjis';

/**
 * The text of a members CSV in the encoding the operator named, or the problem naming the first
 * cell that shows the encoding is wrong: Shift_JIS read as UTF-8 gives U+FFFD; UTF-8 read as
 * CP932 gives mojibake (繧後ｓ縺…), so valid UTF-8 with non-ASCII bytes is refused under sjis.
 */
export function decodeMembersCsv(bytes: Buffer, encoding: CsvEncoding): { text: string } | { problem: CsvProblem } {
  if (encoding === 'sjis') {
    if (hasNonAscii(bytes) && isUtf8(bytes)) {
      return { problem: { ...firstCell(bytes.toString('utf8'), /[^\x00-\x7F]/), message: 'looks like UTF-8, not Shift_JIS: drop --encoding sjis' } };
    }
    const text = iconv.decode(bytes, 'cp932');
    if (text.includes('\uFFFD')) return { problem: { ...firstCell(text, /\uFFFD/), message: 'is not valid Shift_JIS (CP932)' } };
    return { text };
  }
  const text = bytes.toString('utf8');
  if (text.includes('\uFFFD')) return { problem: { ...firstCell(text, /\uFFFD/), message: 'is not valid UTF-8 (use --encoding sjis for Shift_JIS)' } };
  return { text };
}

function hasNonAscii(bytes: Buffer): boolean {
  return bytes.some((b) => b > 0x7f);
}

/** Row (the header is row 1) and column of the first cell matching, as parseMembersCsv counts them. */
function firstCell(text: string, pattern: RegExp): { row: number; column: string } {
  try {
    const records: string[][] = parse(text.replace(/^\uFEFF/, ''), { skip_empty_lines: true, relax_column_count: true, relax_quotes: true, trim: true });
    const header = records[0] ?? [];
    for (const [r, cells] of records.entries()) {
      const c = cells.findIndex((cell) => pattern.test(cell));
      if (c >= 0) return { row: r + 1, column: r === 0 ? `#${c + 1}` : (header[c] ?? `#${c + 1}`).trim().toLowerCase() };
    }
  } catch {
    // Too garbled to split into cells: name the line instead.
  }
  const lines = text.split(/\r?\n/);
  const line = lines.findIndex((l) => pattern.test(l));
  return { row: line + 1, column: '-' };
}
