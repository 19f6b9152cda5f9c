import { Injectable, Logger } from '@nestjs/common';
import { ImapFlow } from 'imapflow';
import { AppConfig, Clock } from '@kkd/core';
import { IntakeService } from './intake.service';

export interface ImapPollResult {
  taken: number;
  /** Left in the mailbox for the next poll (the intake could not commit them). */
  left: number;
}

/**
 * Takes mail from the mailbox at IMAP_URL through the same intake as SMTP. A message is moved to
 * IMAP_PROCESSED_FOLDER only after its consult (or held mail) is committed; one the intake could
 * not commit stays in the mailbox and is tried again on the next poll.
 */
@Injectable()
export class ImapIntakeService {
  private readonly logger = new Logger(ImapIntakeService.name);

  constructor(private readonly intake: IntakeService, private readonly config: AppConfig, private readonly clock: Clock) {}

  get enabled(): boolean {
    return this.config.IMAP_URL !== '';
  }

  async poll(): Promise<ImapPollResult> {
    const url = new URL(this.config.IMAP_URL);
    const client = new ImapFlow({
      host: url.hostname, port: Number(url.port) || (url.protocol === 'imaps:' ? 993 : 143), secure: url.protocol === 'imaps:',
      auth: { user: decodeURIComponent(url.username), pass: decodeURIComponent(url.password) }, logger: false,
    });
    const mailbox = decodeURIComponent(url.pathname.slice(1)) || 'INBOX';
    const processed = this.config.IMAP_PROCESSED_FOLDER;
    const result: ImapPollResult = { taken: 0, left: 0 };
    await client.connect();
    try {
      if (!(await client.list()).some((box) => box.path === processed)) await client.mailboxCreate(processed);
      const lock = await client.getMailboxLock(mailbox);
      try {
        const uids = (await client.search({ all: true }, { uid: true })) || [];
        for (const uid of uids) {
          const message = await client.fetchOne(String(uid), { source: true, internalDate: true }, { uid: true });
          if (!message || !message.source) continue;
          // The mailbox's receipt time is the consult's (never later than now).
          const internal = message.internalDate ? new Date(message.internalDate) : null;
          const receivedAt = internal && internal.getTime() <= this.clock.now().getTime() ? internal : this.clock.now();
          try {
            await this.intake.accept(message.source, null, receivedAt);
          } catch (err) {
            result.left++;
            this.logger.warn(`IMAP message ${uid} left in ${mailbox}: ${err instanceof Error ? err.message : String(err)}`);
            continue;
          }
          await client.messageMove(String(uid), processed, { uid: true });
          result.taken++;
        }
      } finally {
        lock.release();
      }
    } finally {
      await client.logout().catch(() => undefined);
    }
    if (result.taken || result.left) this.logger.log(`IMAP intake: ${result.taken} taken, ${result.left} left for the next poll`);
    return result;
  }
}
