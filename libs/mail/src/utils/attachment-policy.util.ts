/**
 * Which files an expert may attach to a reply (issue 9 item 4): a closed list of types, each
 * recognised by its extension AND by its first bytes, so that a renamed executable or archive does
 * not pass as a PDF or a text file. The Content-Type sent is ours, never the browser's.
 *
 * Office documents (docx/xlsx/pptx) are ZIP containers and zip itself is allowed, so those are
 * checked as ZIP; text types (txt/csv/log) must carry no NUL byte in their first bytes.
 */
export type SniffRule = 'pdf' | 'png' | 'jpg' | 'zip' | 'text';

export const REPLY_ATTACHMENT_TYPES: Readonly<Record<string, { contentType: string; sniff: SniffRule }>> = {
  pdf: { contentType: 'application/pdf', sniff: 'pdf' },
  txt: { contentType: 'text/plain; charset=utf-8', sniff: 'text' },
  log: { contentType: 'text/plain; charset=utf-8', sniff: 'text' },
  csv: { contentType: 'text/csv; charset=utf-8', sniff: 'text' },
  png: { contentType: 'image/png', sniff: 'png' },
  jpg: { contentType: 'image/jpeg', sniff: 'jpg' },
  jpeg: { contentType: 'image/jpeg', sniff: 'jpg' },
  zip: { contentType: 'application/zip', sniff: 'zip' },
  docx: { contentType: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document', sniff: 'zip' },
  xlsx: { contentType: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet', sniff: 'zip' },
  pptx: { contentType: 'application/vnd.openxmlformats-officedocument.presentationml.presentation', sniff: 'zip' },
};

/** At most this many files on one reply. */
export const MAX_REPLY_ATTACHMENTS = 10;

export interface CandidateFile {
  filename: string;
  content: Buffer;
}

export interface AcceptedFile {
  filename: string;
  contentType: string;
  content: Buffer;
}

export type AttachmentCheck = { ok: true; files: AcceptedFile[] } | { ok: false; message: string };

const startsWith = (b: Buffer, bytes: number[]) => b.length >= bytes.length && bytes.every((x, i) => b[i] === x);

function sniffOk(rule: SniffRule, b: Buffer): boolean {
  switch (rule) {
    case 'pdf': return startsWith(b, [0x25, 0x50, 0x44, 0x46, 0x2d]); // %PDF-
    case 'png': return startsWith(b, [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
    case 'jpg': return startsWith(b, [0xff, 0xd8, 0xff]);
    case 'zip': return startsWith(b, [0x50, 0x4b, 0x03, 0x04]) || startsWith(b, [0x50, 0x4b, 0x05, 0x06]);
    case 'text': return !b.subarray(0, 8192).includes(0);
  }
}

/** The name as the member will see it: no directories, no control characters, not empty. */
export function cleanFilename(name: string): string {
  // eslint-disable-next-line no-control-regex
  return (name.split(/[\\/]/).pop() ?? '').replace(/[\u0000-\u001f\u007f]/g, '').trim().slice(0, 200);
}

export function formatBytes(n: number): string {
  if (n < 1024) return `${n} B`;
  if (n < 1024 * 1024) return `${(n / 1024).toFixed(1)} KB`;
  return `${(n / 1024 / 1024).toFixed(1)} MB`;
}

/** Checks a reply's files against the allow-list and the total size limit (bytes). */
export function checkReplyAttachments(files: CandidateFile[], maxTotalBytes: number): AttachmentCheck {
  if (files.length > MAX_REPLY_ATTACHMENTS) return { ok: false, message: `添付できるファイルは${MAX_REPLY_ATTACHMENTS}個までです。` };
  const total = files.reduce((sum, f) => sum + f.content.length, 0);
  if (total > maxTotalBytes) return { ok: false, message: tooLargeMessage(maxTotalBytes) };
  const accepted: AcceptedFile[] = [];
  for (const f of files) {
    const filename = cleanFilename(f.filename);
    if (!filename) return { ok: false, message: 'ファイル名のないファイルは添付できません。' };
    if (f.content.length === 0) return { ok: false, message: `「${filename}」は空のファイルです。` };
    const ext = /\.([^.]+)$/.exec(filename)?.[1].toLowerCase() ?? '';
    const type = Object.prototype.hasOwnProperty.call(REPLY_ATTACHMENT_TYPES, ext) ? REPLY_ATTACHMENT_TYPES[ext] : undefined;
    if (!type) return { ok: false, message: `「${filename}」は添付できない種類のファイルです（添付できるのは ${allowedList()} です）。` };
    if (!sniffOk(type.sniff, f.content)) return { ok: false, message: `「${filename}」の内容が拡張子（.${ext}）と一致しないため添付できません。` };
    accepted.push({ filename, contentType: type.contentType, content: f.content });
  }
  return { ok: true, files: accepted };
}

export const allowedList = (): string => Object.keys(REPLY_ATTACHMENT_TYPES).join(', ');

/** The message when a single file already exceeds the limit while uploading. */
export const tooLargeMessage = (maxTotalBytes: number): string =>
  `添付ファイルの合計サイズが上限（${formatBytes(maxTotalBytes)}）を超えています。ファイルを減らしてください。`;
