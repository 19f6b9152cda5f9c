import { Injectable, Logger } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { Clock, DomainEvents, formatJst, statementsTogether, TransactionRunner } from '@kkd/core';
import { Consult, ConsultRepository, ConsultsService, DeliveredMail, InboundMessageInput, isSameMail } from '@kkd/consults';
import { consultNumberInSubject, MailTemplates, OutboxService, taggedSubject } from '@kkd/mail';
import { jstDateOf } from '@kkd/calendar';
import { ContractService, contractStateOn, Member, MemberRepository, memberDisplayName } from '@kkd/membership';
import { UsageService } from '@kkd/usage';
import { HeldMail, HoldReason } from './entities/held-mail.entity';
import { IntakeTemporaryError } from './inbox.exception';
import { MailStore } from './mail-store';
import { classifyRobot, RobotKind } from './utils/classify-robot.util';
import { detectEncryptedAttachment } from './utils/detect-encrypted-attachment.util';
import { isPasswordMail } from './utils/password-mail.util';
import { parseInboundMail } from './utils/parse-inbound-mail.util';

/** Message-IDs of the mail we send (OutboxService.newMessageId), as quoted in a bounce. */
const OUR_MESSAGE_ID = /<kkd\.\d+\.[0-9a-f-]{36}@[A-Za-z0-9.-]+>/g;
/**
 * A password mail joins the member's encrypted file received within this time before it. PPAP
 * gateways send it within seconds, people within minutes; an hour covers a slow second mail. A
 * wider window risks swallowing a new consult (no acknowledgement, no SLA), while a password
 * mail that misses it only opens its own consult, which staff can merge as a duplicate.
 */
const PPAP_WINDOW_MS = 60 * 60_000;

export type IntakeOutcome =
  | { kind: 'consult_opened'; consultNumber: number }
  | { kind: 'follow_up'; consultNumber: number }
  | { kind: 'duplicate'; consultNumber: number }
  | { kind: 'held'; reason: HoldReason };

const HOLD_FOR_STATUS: Record<Exclude<Member['status'], 'active'>, HoldReason> = {
  suspended: 'contract_suspended', cancelled: 'contract_cancelled', expired: 'contract_expired',
};
/** Why a notice says the mail was not taken in, by the contract's state (PRODUCT.md, Contracts). */
const CONTRACT_STATE: Partial<Record<HoldReason, string>> = {
  contract_not_started: 'ご契約の期間がまだ始まっていないため', contract_suspended: 'ご契約が中断されているため',
  contract_cancelled: 'ご契約が解約されているため', contract_expired: 'ご契約の期間が満了しているため',
};

/**
 * The one intake path for SMTP, IMAP and `ingest`: raw source to disk, then parse, match the
 * sender, thread, and commit the consult with its acknowledgement. It resolves only after the
 * commit, so the SMTP adapter answers 250 only for mail that is durable.
 */
@Injectable()
export class IntakeService {
  private readonly logger = new Logger(IntakeService.name);
  /** Mail taken in by this process since start, by outcome (`held:<reason>`, `failed`): for /metrics. */
  readonly outcomes = new Map<string, number>();

  constructor(
    private readonly store: MailStore,
    private readonly tx: TransactionRunner,
    private readonly clock: Clock,
    private readonly members: MemberRepository,
    private readonly consults: ConsultsService,
    private readonly consultRepo: ConsultRepository,
    private readonly outbox: OutboxService,
    private readonly templates: MailTemplates,
    private readonly events: DomainEvents,
    private readonly usage: UsageService,
    private readonly contracts: ContractService,
  ) {}

  async accept(raw: Buffer, envelopeFrom: string | null = null, receivedAt = this.clock.now()): Promise<IntakeOutcome> {
    try {
      // Parsing overlaps the durable write of the raw source; both finish before the commit.
      const [rawPath, { input, robot }] = await Promise.all([this.store.saveRaw(raw, receivedAt), this.prepare(raw, envelopeFrom, receivedAt)]);
      input.rawPath = rawPath;
      const sender = input.fromAddress || null;
      const outcome = await this.tx.run((em) => (robot ? this.holdRobot(em, robot, sender, input, raw) : this.commit(em, sender, input)));
      this.logger.log(`intake ${outcome.kind}${'consultNumber' in outcome ? ` KKD#${outcome.consultNumber}` : ` (${outcome.reason})`}`);
      this.count(outcome.kind === 'held' ? `held:${outcome.reason}` : outcome.kind);
      return outcome;
    } catch (err) {
      this.count('failed');
      const reason = err instanceof Error ? err.message : String(err);
      this.logger.error(`intake failed: ${reason}`);
      throw new IntakeTemporaryError(reason);
    }
  }

  private count(outcome: string): void {
    this.outcomes.set(outcome, (this.outcomes.get(outcome) ?? 0) + 1);
  }

  /** Parses a mail and stores its attachments; the raw path is the caller's to fill in. */
  async prepare(raw: Buffer, envelopeFrom: string | null, receivedAt: Date): Promise<{ input: InboundMessageInput; robot: RobotKind | null }> {
    const mail = await parseInboundMail(raw);
    // The member is who the From header says (Reply-To never changes that); the envelope is a fallback.
    // Something longer than an address can be (RFC 5321: 320) is no sender at all: the mail is held.
    const candidate = mail.fromAddress ?? (envelopeFrom?.trim().toLowerCase() || null);
    const sender = candidate && candidate.length <= 320 ? candidate : null;
    const attachments = await Promise.all(mail.attachments.map(async (a) => ({
      filename: fitFilename(a.filename), contentType: a.contentType.slice(0, 200), size: a.content.length,
      encrypted: detectEncryptedAttachment(a.content) !== null, ...(await this.store.saveAttachment(a.content)),
    })));
    const robot = classifyRobot({ headers: mail.headers, fromAddress: mail.fromAddress, envelopeFrom, subject: mail.subject });
    return {
      robot,
      input: {
        fromAddress: sender ?? '', messageIdHeader: mail.messageId, inReplyTo: mail.inReplyTo, references: mail.references,
        subject: mail.subject, text: mail.text, html: mail.html, headersJson: JSON.stringify(mail.headers), rawPath: '',
        parseError: mail.problem, receivedAt, attachments,
      },
    };
  }

  /**
   * Mail from a program (bounce, automatic reply, list) opens nothing and is answered by nothing;
   * it is kept with the held mail. A bounce of one of our own mails marks that mail bounced.
   */
  private async holdRobot(em: EntityManager, robot: RobotKind, sender: string | null, input: InboundMessageInput, raw: Buffer): Promise<IntakeOutcome> {
    if (robot === 'bounce') {
      const ours = [...new Set(raw.toString('latin1').match(OUR_MESSAGE_ID) ?? [])];
      if (ours.length) await this.outbox.markBounced(em, ours, input.subject);
    }
    await this.hold(em, sender, input, robot);
    return { kind: 'held', reason: robot };
  }

  private hold(em: EntityManager, sender: string | null, input: InboundMessageInput, reason: HoldReason) {
    return em.getRepository(HeldMail).insert({
      fromAddress: sender, subject: input.subject, reason, rawPath: input.rawPath, messageIdHeader: input.messageIdHeader,
      status: 'held', receivedAt: input.receivedAt, createdAt: this.clock.now(),
    });
  }

  private async commit(em: EntityManager, sender: string | null, input: InboundMessageInput): Promise<IntakeOutcome> {
    // Independent reads share one round trip inside the serialised transaction (SQLite).
    const [member, delivered, cancellation] = await statementsTogether(em, [
      () => (sender ? this.members.findByAddress(sender, em) : null),
      () => (input.messageIdHeader ? this.consultRepo.findByInboundMessageId(input.messageIdHeader, em) : []),
      () => (sender ? this.contracts.pendingCancellationFor(sender, em) : null),
    ]);
    // On the (Japan) day the mail arrived, the contract is in the state the sweep would leave it:
    // a noticed cancellation whose day has come is applied now (art. 14; once, by the event's claim);
    // a term that is over is not renewed (art. 8) and the expiry is recorded now; a term that has
    // not begun is not active either. Such mail is held with the state's notice.
    const today = jstDateOf(input.receivedAt);
    const state = member && contractStateOn(member, today, cancellation?.effectiveOn ?? null);
    if (member && cancellation && state === 'cancelled') {
      await this.contracts.applyCancellation(em, cancellation, null, this.clock.now());
      member.status = 'cancelled';
    }
    if (member?.status === 'active' && state === 'expired') {
      await this.contracts.expire(em, member, today, this.clock.now());
      member.status = 'expired';
    }
    if (!member || state !== 'active') {
      const reason: HoldReason = !sender ? 'no_sender' : !member ? 'unknown_sender'
        : state === 'not_started' ? 'contract_not_started' : HOLD_FOR_STATUS[state as keyof typeof HOLD_FOR_STATUS];
      await this.hold(em, sender, input, reason);
      if (sender) await this.noticeHeldSender(em, sender, reason, member, input);
      return { kind: 'held', reason };
    }
    return this.deliver(em, member, input, delivered);
  }

  /**
   * A member's mail into the consults: the same mail again adds nothing, a follow-up joins its
   * consult, anything else opens one (with its acknowledgement). Also used for held mail a staff
   * member attaches to a member.
   */
  async deliver(em: EntityManager, member: Member, input: InboundMessageInput, stored?: DeliveredMail[]): Promise<IntakeOutcome> {
    stored ??= input.messageIdHeader ? await this.consultRepo.findByInboundMessageId(input.messageIdHeader, em) : [];
    // The same mail delivered again (a sender's retry after a lost 250) adds nothing. Another
    // member's mail that reuses the Message-ID is not that mail, nor is the member's own mail
    // with other content (broken mailers reuse IDs): both are kept.
    if (stored.some((d) => d.memberId === member.id)) {
      const mails = await this.consultRepo.inboundMailsWithMessageId(member.id, input.messageIdHeader!, em);
      const same = mails.find((mail) => isSameMail(mail, { subject: input.subject, text: input.text, attachmentHashes: input.attachments.map((a) => a.sha256) }));
      if (same) return { kind: 'duplicate', consultNumber: same.number };
    }

    const existing = await this.findThread(em, member, input);
    if (existing) {
      await this.consults.appendInbound(em, existing, input);
      await this.noticeEncryptedOnce(em, existing, member, input);
      return { kind: 'follow_up', consultNumber: existing.number };
    }

    const { consult } = await this.consults.openFromInbound(em, member, input);
    // Triage and assignment run here, in the same commit, each undone alone if it fails.
    const acknowledgementNotes = new Map<string, string>();
    await this.events.emit(em, 'consult.opened', { consult, text: input.text, acknowledgementNotes });
    await this.noticeEncryptedOnce(em, consult, member, input);
    await this.outbox.enqueue(em, {
      consultId: consult.id, kind: 'acknowledgement', to: input.fromAddress, consultNumber: consult.number,
      subject: taggedSubject(consult.number, consult.subject, '受付: '),
      bodyText: this.templates.render('acknowledgement', {
        displayName: memberDisplayName(member), number: consult.number, subject: consult.subject, receivedAt: formatJst(input.receivedAt),
        // From the month's threshold on: extra charges may apply (one indexed statement).
        usageNotice: await this.usage.acknowledgementNotice(em, consult),
        notes: [...acknowledgementNotes.values()],
      }),
      inReplyTo: input.messageIdHeader, references: input.messageIdHeader ? [input.messageIdHeader] : [],
    });
    return { kind: 'consult_opened', consultNumber: consult.number };
  }

  /**
   * Tells the sender why their mail opened no consult (for a contract that is not active, which
   * state it is in): at most once a day per address, whatever the reason. Robots never get here.
   * The notice answers the held mail and names it, so a sender of several can tell which it was;
   * mail held after it within the window gets no notice of its own (the text says so).
   */
  private async noticeHeldSender(em: EntityManager, sender: string, reason: HoldReason, member: Member | null, input: InboundMessageInput): Promise<void> {
    const template = reason === 'unknown_sender' ? 'held-unknown-sender' : reason in CONTRACT_STATE ? 'held-contract' : null;
    if (!template) return;
    const now = this.clock.now();
    // One window for every reason: the issue's "once a day" notice, contract-held mail "likewise".
    if (await this.outbox.noticeSentTo(em, sender, new Date(now.getTime() - 24 * 3600_000))) return;
    const because = CONTRACT_STATE[reason] ?? '';
    await this.outbox.enqueue(em, {
      consultId: null, kind: 'notice', to: sender,
      subject: reason === 'unknown_sender' ? '【駆け込み寺】ご相談を受け付けできませんでした' : `【駆け込み寺】${because}、ご相談を受け付けできませんでした`,
      bodyText: this.templates.render(template, {
        because, startsOn: reason === 'contract_not_started' && member ? member.contractStart : null,
        subject: input.subject.trim() || '(件名なし)', receivedAt: formatJst(input.receivedAt),
      }),
      inReplyTo: input.messageIdHeader, references: input.messageIdHeader ? [input.messageIdHeader] : [],
    });
  }

  /**
   * The member's consult this mail continues: by Message-ID references, else by the subject tag,
   * else (the "PPAP" habit) a password mail following the member's encrypted file.
   */
  private async findThread(em: EntityManager, member: Member, input: InboundMessageInput): Promise<Consult | null> {
    const referenced = [input.inReplyTo, ...input.references].filter((x): x is string => !!x);
    const byReference = await this.consultRepo.findByReferencedMessageIds(referenced, em);
    // Never thread one member's mail into another member's consult.
    if (byReference && byReference.memberId === member.id) return byReference;
    const tagged = consultNumberInSubject(input.subject);
    const byTag = tagged !== null ? await this.consultRepo.findByNumber(tagged, em) : null;
    if (byTag && byTag.memberId === member.id) return byTag;
    if (referenced.length === 0 && tagged === null && isPasswordMail(input.subject, input.text)) {
      return this.consultRepo.latestWithEncryptedAttachment(member.id, new Date(input.receivedAt.getTime() - PPAP_WINDOW_MS), em);
    }
    return null;
  }

  /** Terms art. 40-3: the member is told, once per consult, that encrypted files may not be analysable. */
  private async noticeEncryptedOnce(em: EntityManager, consult: Consult, member: Member, input: InboundMessageInput): Promise<void> {
    const encrypted = input.attachments.filter((a) => a.encrypted).map((a) => a.filename);
    if (encrypted.length === 0 || (await this.outbox.hasSent(em, consult.id, 'encryption_notice'))) return;
    await this.outbox.enqueue(em, {
      consultId: consult.id, kind: 'encryption_notice', to: input.fromAddress, consultNumber: consult.number,
      subject: taggedSubject(consult.number, consult.subject, '暗号化ファイルについて: '),
      bodyText: this.templates.render('encrypted-attachment', { displayName: memberDisplayName(member), number: consult.number, files: encrypted }),
      inReplyTo: input.messageIdHeader, references: input.messageIdHeader ? [input.messageIdHeader] : [],
    });
  }
}

/** A file name that fits its column (500), keeping the extension that says what the file is. */
function fitFilename(name: string): string {
  if (name.length <= 200) return name;
  const ext = /\.[A-Za-z0-9]{1,10}$/.exec(name)?.[0] ?? '';
  return `${name.slice(0, 200 - ext.length - 1)}…${ext}`;
}
