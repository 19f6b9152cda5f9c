import { checkReplyAttachments, cleanFilename, MAX_REPLY_ATTACHMENTS } from './attachment-policy.util';

const PDF = Buffer.from('%PDF-1.4\n%âãÏÓ\n1 0 obj\n<<>>\nendobj\n');
const PNG = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13]);
const JPG = Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0, 16]);
const ZIP = Buffer.from([0x50, 0x4b, 0x03, 0x04, 20, 0, 0, 0]);
const EXE = Buffer.from([0x4d, 0x5a, 0x90, 0x00, 0x03, 0x00]);
const TEXT = Buffer.from('時刻,送信元\n2026-11-25 10:00,192.0.2.1\n', 'utf8');
const MB = 1024 * 1024;

describe('checkReplyAttachments', () => {
  const accepted: [string, string, Buffer, string][] = [
    ['a PDF', 'report.pdf', PDF, 'application/pdf'],
    ['an upper-case extension', 'REPORT.PDF', PDF, 'application/pdf'],
    ['a PNG', 'screen.png', PNG, 'image/png'],
    ['a JPEG as .jpg', 'photo.jpg', JPG, 'image/jpeg'],
    ['a JPEG as .jpeg', 'photo.jpeg', JPG, 'image/jpeg'],
    ['a zip', 'logs.zip', ZIP, 'application/zip'],
    ['a Word document (a ZIP container)', '手順書.docx', ZIP, 'application/vnd.openxmlformats-officedocument.wordprocessingml.document'],
    ['an Excel sheet', 'ioc.xlsx', ZIP, 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet'],
    ['a PowerPoint deck', 'slides.pptx', ZIP, 'application/vnd.openxmlformats-officedocument.presentationml.presentation'],
    ['a Japanese CSV', 'アクセス記録.csv', TEXT, 'text/csv; charset=utf-8'],
    ['a log', 'firewall.log', TEXT, 'text/plain; charset=utf-8'],
    ['a text file', 'memo.txt', TEXT, 'text/plain; charset=utf-8'],
  ];
  it.each(accepted)('accepts %s', (_name, filename, content, contentType) => {
    expect(checkReplyAttachments([{ filename, content }], 10 * MB)).toEqual({ ok: true, files: [{ filename, contentType, content }] });
  });

  const refused: [string, { filename: string; content: Buffer }[], number, RegExp][] = [
    ['an executable', [{ filename: 'tool.exe', content: EXE }], 10 * MB, /添付できない種類/],
    ['a file without extension', [{ filename: 'README', content: TEXT }], 10 * MB, /添付できない種類/],
    ['an executable renamed to .pdf', [{ filename: 'invoice.pdf', content: EXE }], 10 * MB, /内容が拡張子（\.pdf）と一致しない/],
    ['a zip renamed to .png', [{ filename: 'image.png', content: ZIP }], 10 * MB, /一致しない/],
    ['binary data as .txt', [{ filename: 'data.txt', content: Buffer.from([0x41, 0x00, 0x42]) }], 10 * MB, /一致しない/],
    ['a double extension ending in .js', [{ filename: 'report.pdf.js', content: TEXT }], 10 * MB, /添付できない種類/],
    ['an empty file', [{ filename: 'empty.txt', content: Buffer.alloc(0) }], 10 * MB, /空のファイル/],
    ['files over the total limit together', [{ filename: 'a.pdf', content: PDF }, { filename: 'b.pdf', content: PDF }], PDF.length * 2 - 1, /合計サイズが上限/],
    ['too many files', Array.from({ length: MAX_REPLY_ATTACHMENTS + 1 }, (_, i) => ({ filename: `${i}.txt`, content: TEXT })), 10 * MB, /10個まで/],
    ['a name that is only a directory', [{ filename: 'dir/', content: TEXT }], 10 * MB, /ファイル名のない/],
  ];
  it.each(refused)('refuses %s', (_name, files, limit, message) => {
    const result = checkReplyAttachments(files, limit);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.message).toMatch(message);
  });

  it('accepts files exactly at the total limit', () => {
    expect(checkReplyAttachments([{ filename: 'a.pdf', content: PDF }, { filename: 'b.pdf', content: PDF }], PDF.length * 2).ok).toBe(true);
  });

  it('accepts no files at all', () => {
    expect(checkReplyAttachments([], 1)).toEqual({ ok: true, files: [] });
  });
});

describe('cleanFilename', () => {
  it.each([
    ['keeps a Japanese name', '報告書 第1版.pdf', '報告書 第1版.pdf'],
    ['drops a Windows path', 'C:\\Users\\a\\log.txt', 'log.txt'],
    ['drops a POSIX path', '../../etc/passwd.txt', 'passwd.txt'],
    ['drops control characters', 'a\r\nb.txt', 'ab.txt'],
  ])('%s', (_name, input, expected) => expect(cleanFilename(input)).toBe(expected));
});
