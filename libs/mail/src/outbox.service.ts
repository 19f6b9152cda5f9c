import { Injectable, Logger, OnApplicationShutdown } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { randomUUID } from 'crypto';
import path from 'path';
import MailComposer from 'nodemailer/lib/mail-composer';
import { EntityManager, In, IsNull, MoreThanOrEqual, Repository } from 'typeorm';
import { AppConfig, Clock, DataFiles, TransactionRunner } from '@kkd/core';
import { OutboundAttachment } from './entities/outbound-attachment.entity';
import { OutboundKind, OutboundMail } from './entities/outbound-mail.entity';
import { FileTransport } from './transports/file.transport';
import { MailTransport, PermanentDeliveryError } from './transports/mail-transport';
import { SmtpRelayTransport } from './transports/smtp-relay.transport';
import { MAX_ATTEMPTS, retryDelayMs } from './utils/retry-backoff.util';

/**
 * How long a batch taken for delivery stays out of other instances' reach: longer than any batch
 * takes (a relay's timeouts included). A mail whose sender died meanwhile is tried again after it.
 */
const CLAIM_MS = 15 * 60_000;
/** Starts lastError of a mail the relay refused for good; its reply (with the SMTP code) follows. */
const REFUSED = 'refused: ';

/** Why one attempt did not deliver the mail. */
interface Failure {
  reason: string;
  /** The relay refused it for good (5xx): failed at once, not retried. */
  permanent: boolean;
}

export interface EnqueueInput {
  consultId: number | null;
  messageRowId?: number | null;
  kind: OutboundKind;
  to: string;
  subject: string;
  bodyText: string;
  inReplyTo?: string | null;
  references?: string[];
  /** Used in the Message-ID so that a reply's thread can be recognised. */
  consultNumber?: number;
  /** Files sent with the mail (an expert's reply), already checked against the allow-list. */
  attachments?: { filename: string; contentType: string; content: Buffer }[];
}

/** Queues outbound mail inside the caller's transaction and delivers it afterwards. */
@Injectable()
export class OutboxService implements OnApplicationShutdown {
  private readonly logger = new Logger(OutboxService.name);
  private readonly transport: MailTransport;

  constructor(
    @InjectRepository(OutboundMail) private readonly mails: Repository<OutboundMail>,
    private readonly tx: TransactionRunner,
    private readonly clock: Clock,
    private readonly config: AppConfig,
    private readonly files: DataFiles,
  ) {
    this.transport = config.SMTP_RELAY_URL
      ? new SmtpRelayTransport(config.SMTP_RELAY_URL)
      : new FileTransport(path.resolve(config.DATA_DIR, 'outbox'));
  }

  /** After every beforeApplicationShutdown: the sender job has finished its batch by then. */
  async onApplicationShutdown(): Promise<void> {
    await this.transport.close();
  }

  newMessageId(consultNumber?: number): string {
    return `<kkd.${consultNumber ?? 0}.${randomUUID()}@${this.config.MAIL_HOSTNAME}>`;
  }

  /** A merged consult's mail follows its messages (a reply to it then threads into the target). */
  async moveToConsult(em: EntityManager, fromConsultId: number, toConsultId: number): Promise<void> {
    await em.getRepository(OutboundMail).update({ consultId: fromConsultId }, { consultId: toConsultId });
  }

  /** Writes the mail row with the caller's change (same transaction): nothing is sent twice or lost. */
  async enqueue(em: EntityManager, input: EnqueueInput, messageIdHeader = this.newMessageId(input.consultNumber)): Promise<OutboundMail> {
    const now = this.clock.now();
    // insert, not save: one INSERT without save's change tracking (every intake queues mail).
    const mail = em.getRepository(OutboundMail).create({
      consultId: input.consultId, messageRowId: input.messageRowId ?? null, kind: input.kind, toAddress: input.to,
      subject: input.subject, bodyText: input.bodyText, messageIdHeader, inReplyTo: input.inReplyTo ?? null,
      referencesHeader: input.references?.length ? input.references.join(' ') : null, status: 'queued', attempts: 0,
      nextAttemptAt: now, lastError: null, sentAt: null, createdAt: now,
    });
    await em.getRepository(OutboundMail).insert(mail);
    // The bytes go to disk (content-addressed, so a rolled-back reply leaves at most an unused file); the rows commit with the mail.
    for (const file of input.attachments ?? []) {
      const stored = await this.files.saveContent(file.content);
      await em.getRepository(OutboundAttachment).insert({
        outboundMailId: mail.id, filename: file.filename, contentType: file.contentType, size: file.content.length, ...stored,
      });
    }
    return mail;
  }

  /** The files of these mails, by mail id (for the consult page's list of sent mail). */
  async attachmentsOf(mailIds: number[]): Promise<Map<number, OutboundAttachment[]>> {
    const rows = mailIds.length ? await this.mails.manager.getRepository(OutboundAttachment).find({ where: { outboundMailId: In(mailIds) }, order: { id: 'ASC' } }) : [];
    const byMail = new Map<number, OutboundAttachment[]>();
    for (const row of rows) byMail.set(row.outboundMailId, [...(byMail.get(row.outboundMailId) ?? []), row]);
    return byMail;
  }

  /**
   * Sends every due mail once; failures are retried later with back-off, except a permanent refusal
   * (an SMTP 5xx to the recipient or the message), which fails the mail at once. Returns how many were
   * sent. The batch is claimed first (one statement), its mails go to the transport a few at a
   * time, and the results are recorded together afterwards (one statement for every success, one
   * per distinct failure): on SQLite the single writer is shared with the intake, so a burst of
   * mail in is not slowed by the mail going out. A crash before that leaves the mails queued, to
   * be sent again after the claim runs out (at least once).
   */
  async deliverDue(limit = 100): Promise<number> {
    const taken = await this.claim(limit);
    if (taken.length === 0) return 0;
    const files = await this.attachmentsOf(taken.map((m) => m.id));
    const outcomes = new Map<number, Failure | null>();
    // A few workers over the batch: every mail is attempted exactly once, and its own outcome kept.
    let next = 0;
    const worker = async (): Promise<void> => {
      while (next < taken.length) {
        const mail = taken[next++];
        outcomes.set(mail.id, await this.attempt(mail, files.get(mail.id) ?? []));
      }
    };
    await Promise.all(Array.from({ length: Math.min(this.transport.concurrency, taken.length) }, worker));

    const now = this.clock.now();
    const sent = taken.filter((m) => outcomes.get(m.id) === null).map((m) => m.id);
    // Mails that failed alike (a relay that is down fails the whole batch) share one UPDATE.
    const failed = new Map<string, Failure & { attempts: number; ids: number[] }>();
    for (const mail of taken) {
      const failure = outcomes.get(mail.id);
      if (failure === null || failure === undefined) continue;
      const attempts = mail.attempts + 1;
      const key = `${attempts}\n${failure.permanent}\n${failure.reason}`;
      failed.set(key, { ...failure, attempts, ids: [...(failed.get(key)?.ids ?? []), mail.id] });
    }
    await this.tx.run(async (em) => {
      if (sent.length) {
        await em.createQueryBuilder().update(OutboundMail)
          .set({ status: 'sent', sentAt: now, attempts: () => 'attempts + 1', lastError: null })
          .where('id IN (:...sent)', { sent }).updateEntity(false).execute();
      }
      for (const { attempts, reason, permanent, ids } of failed.values()) {
        const done = permanent || attempts >= MAX_ATTEMPTS;
        await em.createQueryBuilder().update(OutboundMail)
          .set({ attempts, lastError: reason, status: done ? 'failed' : 'queued', nextAttemptAt: new Date(now.getTime() + retryDelayMs(attempts)) })
          .where('id IN (:...ids)', { ids }).updateEntity(false).execute();
      }
    });
    return sent.length;
  }

  /**
   * Takes up to `limit` due mails for this instance in one statement: each is moved CLAIM_MS
   * ahead, so another instance (its lease run out during a long delivery run) neither reads it as
   * due nor sends it too. PostgreSQL skips the rows another instance is claiming at that moment;
   * SQLite's single writer (taken first by TransactionRunner) makes the statement atomic.
   */
  private async claim(limit: number): Promise<OutboundMail[]> {
    const now = this.clock.now().getTime();
    const until = now + CLAIM_MS;
    return this.tx.run(async (em) => {
      const pg = em.connection.options.type === 'postgres';
      // Starts with WITH so that TypeORM's SQLite runner returns the RETURNING rows (it drops
      // the rows of a statement starting with UPDATE); on PostgreSQL it answers [rows, count].
      const rows: Record<string, unknown>[] = pg
        ? (await em.query(
          `WITH due AS (SELECT id FROM outbound_mails WHERE status = 'queued' AND next_attempt_at <= $1 ORDER BY next_attempt_at, id LIMIT $2 FOR UPDATE SKIP LOCKED)
           UPDATE outbound_mails o SET next_attempt_at = $3 FROM due WHERE o.id = due.id AND o.status = 'queued' AND o.next_attempt_at <= $1 RETURNING o.*`,
          [now, limit, until]))[0]
        : await em.query(
          `WITH due AS (SELECT id FROM outbound_mails WHERE status = 'queued' AND next_attempt_at <= ? ORDER BY next_attempt_at, id LIMIT ?)
           UPDATE outbound_mails SET next_attempt_at = ? WHERE id IN (SELECT id FROM due) AND status = 'queued' AND next_attempt_at <= ? RETURNING *`,
          [now, limit, until, now]);
      const meta = em.connection.getMetadata(OutboundMail);
      const mails = rows.map((row) => {
        const mail = meta.create() as OutboundMail;
        for (const column of meta.columns) column.setEntityValue(mail, em.connection.driver.prepareHydratedValue(row[column.databaseName], column));
        return mail;
      });
      return mails.sort((x, y) => x.id - y.id);
    });
  }

  /** One delivery attempt; null when delivered, else why not. */
  private async attempt(mail: OutboundMail, files: OutboundAttachment[]): Promise<Failure | null> {
    try {
      await this.transport.deliver(await this.compose(mail, files), { from: this.config.INTAKE_ADDRESS, to: [mail.toAddress] }, mail.id);
      return null;
    } catch (err) {
      const permanent = err instanceof PermanentDeliveryError;
      const reason = permanent ? `${REFUSED}${err.reply}` : err instanceof Error ? err.message : String(err);
      // A relay's error text may quote the recipient: logs carry no addresses.
      this.logger.warn(`outbound mail ${mail.id} attempt ${mail.attempts + 1} ${permanent ? 'refused for good' : 'failed'}: ${reason.replace(/[^\s<>@"]+@[^\s<>@"]+/g, '<address>')}`);
      return { reason: reason.slice(0, 1000), permanent };
    }
  }

  /** The relay's reply (with its SMTP code) when it refused the mail for good, else null: the consult page says why. */
  static refusalOf(mail: Pick<OutboundMail, 'status' | 'lastError'>): string | null {
    return mail.status === 'failed' && mail.lastError?.startsWith(REFUSED) ? mail.lastError.slice(REFUSED.length) : null;
  }

  /** Whether a mail of this kind was ever queued for the consult (notices sent once per consult). */
  hasSent(em: EntityManager, consultId: number, kind: OutboundKind): Promise<boolean> {
    return em.getRepository(OutboundMail).exists({ where: { consultId, kind } });
  }

  /** Whether a notice outside any consult went to this address since `since` (notices are rate-limited). */
  noticeSentTo(em: EntityManager, address: string, since: Date): Promise<boolean> {
    return em.getRepository(OutboundMail).exists({ where: { toAddress: address, kind: 'notice', consultId: IsNull(), createdAt: MoreThanOrEqual(since) } });
  }

  /** Our mails with these Message-IDs came back undelivered (a bounce quoting them). */
  async markBounced(em: EntityManager, messageIds: string[], reason: string): Promise<void> {
    await em.getRepository(OutboundMail).update({ messageIdHeader: In(messageIds) }, { status: 'bounced', lastError: `bounce: ${reason}`.slice(0, 1000) });
  }

  findForConsult(consultId: number): Promise<OutboundMail[]> {
    return this.mails.find({ where: { consultId }, order: { id: 'ASC' } });
  }

  /** The mail as sent, with its files (their rows: `attachmentsOf`). */
  async compose(mail: OutboundMail, files: OutboundAttachment[]): Promise<Buffer> {
    // nodemailer writes non-ASCII names per RFC 2231 (and the RFC 2047 form some clients still expect).
    const attachments = await Promise.all(files.map(async (f) => ({ filename: f.filename, contentType: f.contentType, content: await this.files.read(f.storagePath) })));
    const composer = new MailComposer({
      from: { name: this.config.MAIL_FROM_NAME, address: this.config.INTAKE_ADDRESS },
      to: mail.toAddress,
      subject: mail.subject,
      text: mail.bodyText,
      messageId: mail.messageIdHeader,
      inReplyTo: mail.inReplyTo ?? undefined,
      references: mail.referencesHeader ?? undefined,
      date: mail.createdAt,
      textEncoding: 'base64',
      attachments,
      // Automatic mail must not start loops with members' auto-responders (RFC 3834).
      headers: mail.kind === 'reply' ? {} : { 'Auto-Submitted': 'auto-replied', 'X-Auto-Response-Suppress': 'All' },
    });
    return new Promise((resolve, reject) => composer.compile().build((err, raw) => (err ? reject(err) : resolve(raw))));
  }
}
