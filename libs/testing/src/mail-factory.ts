import { randomUUID } from 'crypto';

export interface TestMail {
  from: string;
  to?: string;
  subject?: string;
  body?: string;
  messageId?: string;
  inReplyTo?: string;
  references?: string[];
  date?: Date;
  html?: string;
  attachment?: { filename: string; content: Buffer; contentType?: string };
  extraHeaders?: string[];
}

const encodeWord = (s: string) => (/^[\x20-\x7e]*$/.test(s) ? s : `=?UTF-8?B?${Buffer.from(s).toString('base64')}?=`);
/** A file name parameter: RFC 2047 as most mailers send it; RFC 2231 when quotes or backslashes would need escaping. */
const nameParameter = (key: string, name: string) =>
  (/["\\]/.test(name) ? `${key}*=UTF-8''${encodeURIComponent(name).replace(/['()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`)}` : `${key}="${encodeWord(name)}"`);
const base64Lines = (b: Buffer) => b.toString('base64').replace(/.{76}/g, '$&\r\n');

/** Builds a raw RFC 5322 message (UTF-8, base64 parts) for intake tests. */
export function buildMail(mail: TestMail): { raw: string; messageId: string } {
  const messageId = mail.messageId ?? `<${randomUUID()}@member.example.jp>`;
  const headers = [
    `From: ${mail.from}`,
    `To: ${mail.to ?? 'kakekomi@helpdesk.test'}`,
    `Subject: ${encodeWord(mail.subject ?? 'テスト相談')}`,
    `Date: ${(mail.date ?? new Date()).toUTCString()}`,
    `Message-ID: ${messageId}`,
    ...(mail.inReplyTo ? [`In-Reply-To: ${mail.inReplyTo}`] : []),
    ...(mail.references?.length ? [`References: ${mail.references.join(' ')}`] : []),
    'MIME-Version: 1.0',
    ...(mail.extraHeaders ?? []),
  ];
  const text = Buffer.from(mail.body ?? 'ご相談があります。', 'utf8');
  const textPart = ['Content-Type: text/plain; charset=UTF-8', 'Content-Transfer-Encoding: base64', '', base64Lines(text)];
  if (!mail.attachment && !mail.html) return { raw: [...headers, ...textPart, ''].join('\r\n'), messageId };

  // Text and HTML are alternatives of one body, as mail clients send them; attachments go beside.
  const multipart = (type: string, parts: string[]) => {
    const boundary = `b-${randomUUID()}`;
    return [`Content-Type: multipart/${type}; boundary="${boundary}"`, '', parts.map((p) => `--${boundary}\r\n${p}`).join('\r\n') + `\r\n--${boundary}--`, ''].join('\r\n');
  };
  let body = textPart.join('\r\n');
  if (mail.html) {
    body = multipart('alternative', [body, ['Content-Type: text/html; charset=UTF-8', 'Content-Transfer-Encoding: base64', '', base64Lines(Buffer.from(mail.html))].join('\r\n')]);
  }
  if (mail.attachment) {
    body = multipart('mixed', [body, [
      `Content-Type: ${mail.attachment.contentType ?? 'application/octet-stream'}; ${nameParameter('name', mail.attachment.filename)}`,
      `Content-Disposition: attachment; ${nameParameter('filename', mail.attachment.filename)}`,
      'Content-Transfer-Encoding: base64', '', base64Lines(mail.attachment.content),
    ].join('\r\n')]);
  }
  return { raw: [...headers, body].join('\r\n'), messageId };
}
