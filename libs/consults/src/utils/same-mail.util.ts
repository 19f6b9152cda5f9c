/** What a mail says, after parsing: what a sender's retry of it keeps identical. */
export interface MailContent {
  subject: string;
  text: string;
  attachmentHashes: string[];
}

/**
 * Whether two mails with one Message-ID are the same mail (a retry after a lost 250) or two mails
 * that reuse the ID (broken mailers and scripts do). Transport headers (Received, envelope) differ
 * between retries and are not looked at; line endings and trailing spaces are not content either.
 */
export function isSameMail(a: MailContent, b: MailContent): boolean {
  return a.subject.replace(/\s+/g, ' ').trim() === b.subject.replace(/\s+/g, ' ').trim()
    && bodyOf(a.text) === bodyOf(b.text)
    && [...a.attachmentHashes].sort().join() === [...b.attachmentHashes].sort().join();
}

const bodyOf = (text: string) => text.replace(/\r\n?/g, '\n').replace(/[ \t]+$/gm, '').trim();
