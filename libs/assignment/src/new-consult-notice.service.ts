import { Injectable, Logger, OnModuleInit } from '@nestjs/common';
import { Between, EntityManager, In, IsNull, Like } from 'typeorm';
import { Category, CATEGORY_LABELS, Consult, PRIORITY_LABELS, STATUS_LABELS } from '@kkd/consults';
import { AppConfig, Clock, DomainEvents, formatJst, TransactionRunner } from '@kkd/core';
import { MailTemplates, OutboxService, taggedSubject } from '@kkd/mail';
import { IdentityMaskService, memberDisplayName } from '@kkd/membership';
import { skillsOf, StaffUser } from '@kkd/staff';
import { NewConsultNoticeKind, NewConsultNoticeRecord } from './entities/new-consult-notice.entity';
import { digestWindow } from './utils/digest-window.util';

/** How much of the member's first mail an immediate notice quotes. */
const EXCERPT_LINES = 15;
const EXCERPT_CHARS = 600;

/** The head of a text: at most EXCERPT_LINES lines and EXCERPT_CHARS characters, blank runs squeezed. */
function excerptOf(text: string): string {
  const lines = text.replace(/\r\n?/g, '\n').replace(/\n{3,}/g, '\n\n').trim().split('\n');
  let head = lines.slice(0, EXCERPT_LINES).join('\n');
  if (head.length > EXCERPT_CHARS) head = head.slice(0, EXCERPT_CHARS);
  return head.length < lines.join('\n').length ? `${head}\n（以下省略）` : head;
}

/**
 * New-consult notices to experts, by each one's choice (StaffUser.newConsultNotice): a mail per new
 * consult of their skills as it is opened, or a daily digest from 08:30 JST. The member appears as
 * nickname + club ID only. A row per notice (unique key) makes each go once.
 */
@Injectable()
export class NewConsultNoticeService implements OnModuleInit {
  private readonly logger = new Logger(NewConsultNoticeService.name);

  constructor(
    private readonly outbox: OutboxService,
    private readonly templates: MailTemplates,
    private readonly tx: TransactionRunner,
    private readonly clock: Clock,
    private readonly events: DomainEvents,
    private readonly config: AppConfig,
    private readonly masks: IdentityMaskService,
  ) {}

  onModuleInit(): void {
    this.events.on('consult.triaged', 'new-consult-notice', async (em, { consult, text }) => {
      await this.notifyOpened(em, consult, text);
    });
  }

  /**
   * Queues the immediate notices for a consult just opened and triaged (member loaded), quoting
   * its first mail, in the caller's transaction (database only; run again, it sends nothing twice).
   */
  async notifyOpened(em: EntityManager, consult: Readonly<Consult>, firstText: string): Promise<number> {
    const experts = await this.subscribers(em, 'immediate', consult.category);
    if (experts.length === 0) return 0;
    const key = String(consult.id);
    const done = new Set((await em.getRepository(NewConsultNoticeRecord).find({
      where: { staffId: In(experts.map((e) => e.id)), kind: 'immediate', noticeKey: key }, select: { id: true, staffId: true },
    })).map((r) => r.staffId));
    const now = this.clock.now();
    // The subject and the member's first mail, masked like every member text an expert reads.
    const mask = await this.masks.maskerFor(consult.member, em);
    const facts = this.consultFacts(consult, mask);
    const excerpt = excerptOf(mask(firstText));
    let sent = 0;
    for (const expert of experts.filter((e) => !done.has(e.id))) {
      await this.record(em, expert.id, 'immediate', key, now, 1);
      await this.outbox.enqueue(em, {
        consultId: consult.id, kind: 'notice', to: expert.email, consultNumber: consult.number,
        subject: taggedSubject(consult.number, facts.subject, '【新規相談】'),
        bodyText: this.templates.render('new-consult', { recipientName: expert.name, ...facts, excerpt }),
      });
      sent++;
    }
    return sent;
  }

  /**
   * Sends today's digest to every expert who chose it and has had none today (from 08:30 JST):
   * the consults of their skills created since their last digest. One transaction per expert; a
   * digest with nothing in it is recorded (its window is done) but not mailed. Returns mails queued.
   */
  async sendDigests(now = this.clock.now()): Promise<number> {
    if (!digestWindow(now, null)) return 0;
    const experts = await this.subscribers(this.tx.readManager, 'digest');
    let sent = 0;
    for (const expert of experts) {
      try {
        if (await this.tx.run((em) => this.sendDigest(em, expert, now))) sent++;
      } catch (err) {
        // Another instance sent it meanwhile (unique key), or the mail could not be queued: next tick.
        this.logger.warn(`digest for staff ${expert.id} not sent: ${err instanceof Error ? err.message : String(err)}`);
      }
    }
    return sent;
  }

  private async sendDigest(em: EntityManager, expert: StaffUser, now: Date): Promise<boolean> {
    const records = em.getRepository(NewConsultNoticeRecord);
    const last = await records.findOne({ where: { staffId: expert.id, kind: 'digest' }, order: { coveredUntil: 'DESC', id: 'DESC' } });
    const window = digestWindow(now, last?.coveredUntil ?? null);
    if (!window || last?.noticeKey === window.key) return false;
    const skills = skillsOf(expert) as Category[];
    // Between is inclusive: a consult created exactly at `until` belongs to the next digest.
    const consults = skills.length === 0 ? [] : await em.getRepository(Consult).find({
      where: { createdAt: Between(window.since, window.until), category: In(skills), mergedIntoId: IsNull() },
      relations: { member: true }, order: { createdAt: 'ASC', id: 'ASC' },
    });
    const inWindow = consults.filter((c) => c.createdAt.getTime() < window.until.getTime());
    const facts = await Promise.all(inWindow.map(async (c) => this.consultFacts(c, await this.masks.maskerFor(c.memberId, em))));
    await this.record(em, expert.id, 'digest', window.key, window.until, inWindow.length);
    if (inWindow.length === 0) return false;
    await this.outbox.enqueue(em, {
      consultId: null, kind: 'notice', to: expert.email,
      subject: `【新規相談のまとめ】${window.key} ${inWindow.length}件`,
      bodyText: this.templates.render('new-consult-digest', {
        recipientName: expert.name, since: formatJst(window.since), count: inWindow.length, consults: facts,
      }),
    });
    return true;
  }

  /** Active staff who chose this kind of notice (and have the category among their skills, when given). */
  private async subscribers(em: EntityManager, kind: NewConsultNoticeKind, category?: Category): Promise<StaffUser[]> {
    const staff = await em.getRepository(StaffUser).find({
      where: { active: true, newConsultNotice: kind, ...(category ? { skills: Like(`%${category}%`) } : {}) }, order: { id: 'ASC' },
    });
    return category ? staff.filter((u) => skillsOf(u).includes(category)) : staff;
  }

  private record(em: EntityManager, staffId: number, kind: NewConsultNoticeKind, noticeKey: string, coveredUntil: Date, consultCount: number) {
    return em.getRepository(NewConsultNoticeRecord).insert({ staffId, kind, noticeKey, coveredUntil, consultCount, createdAt: this.clock.now() });
  }

  /** What a notice tells an expert of a consult: its subject with the member's identity masked, the member by nickname + club ID. */
  private consultFacts(c: Consult, mask: (text: string) => string) {
    return {
      number: c.number, subject: mask(c.subject), member: memberDisplayName(c.member), category: CATEGORY_LABELS[c.category],
      priority: PRIORITY_LABELS[c.priority], status: STATUS_LABELS[c.status], receivedAt: formatJst(c.receivedAt),
      url: `${this.config.consoleUrl}/consults/${c.number}`,
    };
  }
}
