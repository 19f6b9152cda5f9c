import { Injectable, Logger } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { Between, In, IsNull, LessThan, LessThanOrEqual, MoreThanOrEqual, Repository } from 'typeorm';
import { addDays, jstDateOf } from '@kkd/calendar';
import { AppConfig, Clock, isUniqueViolation, TransactionRunner } from '@kkd/core';
import { MailTemplates, OutboxService } from '@kkd/mail';
import { StaffService } from '@kkd/staff';
import { ContractService } from './contract.service';
import { ContractEvent } from './entities/contract-event.entity';
import { ContractReminder } from './entities/contract-reminder.entity';
import { Member } from './entities/member.entity';
import { memberDisplayName } from './utils/display-name.util';
import { REMINDER_DAYS, reminderDue, ReminderDays } from './utils/contract-rules.util';

export interface ContractSweepResult {
  cancelled: number;
  expired: number;
  reminded: number;
}

const RUNNING = ['active', 'suspended'] as const;

/**
 * The daily contract work (run by the scheduler under a lease): applies cancellations whose day
 * has come, expires terms that are over (the day after contract_end, Japan date) and reminds the
 * secretariat 60 and 30 days before a term ends. Everything is decided from the stored state and
 * today's date, so a run after days of downtime catches up and a repeated run changes nothing.
 */
@Injectable()
export class ContractSweepService {
  private readonly logger = new Logger(ContractSweepService.name);

  constructor(
    @InjectRepository(Member) private readonly members: Repository<Member>,
    @InjectRepository(ContractEvent) private readonly events: Repository<ContractEvent>,
    @InjectRepository(ContractReminder) private readonly reminders: Repository<ContractReminder>,
    private readonly contracts: ContractService,
    private readonly staff: StaffService,
    private readonly outbox: OutboxService,
    private readonly templates: MailTemplates,
    private readonly tx: TransactionRunner,
    private readonly clock: Clock,
    private readonly config: AppConfig,
  ) {}

  async sweep(now = this.clock.now()): Promise<ContractSweepResult> {
    const today = jstDateOf(now);
    const result = { cancelled: 0, expired: 0, reminded: 0 };
    const due = await this.events.find({ where: { kind: 'cancel', appliedAt: IsNull(), effectiveOn: LessThanOrEqual(today) }, order: { id: 'ASC' } });
    for (const event of due) {
      if (await this.tx.run((em) => this.contracts.applyCancellation(em, event, null, now))) result.cancelled++;
    }
    const over = await this.members.find({ where: { status: In([...RUNNING]), contractEnd: LessThan(today) }, order: { id: 'ASC' } });
    for (const member of over) {
      if (await this.tx.run((em) => this.contracts.expire(em, member, today, now))) result.expired++;
    }
    result.reminded = await this.remind(today, now);
    if (result.cancelled || result.expired || result.reminded) {
      this.logger.log(`contracts: ${result.cancelled} cancelled, ${result.expired} expired, ${result.reminded} reminder(s) sent`);
    }
    return result;
  }

  private async remind(today: string, now: Date): Promise<number> {
    const ending = await this.members.find({
      where: { status: In([...RUNNING]), contractEnd: Between(today, addDays(today, Math.max(...REMINDER_DAYS))) }, order: { contractEnd: 'ASC', id: 'ASC' },
    });
    if (ending.length === 0) return 0;
    const sent = new Set((await this.reminders.find({ where: { memberId: In(ending.map((m) => m.id)), contractEnd: MoreThanOrEqual(today) } }))
      .map((r) => `${r.memberId}|${r.contractEnd}|${r.daysBefore}`));
    // A member leaving by a noticed cancellation before the term ends needs no reminder of the end.
    const leaving = new Map((await this.events.find({ where: { memberId: In(ending.map((m) => m.id)), kind: 'cancel', appliedAt: IsNull() } }))
      .map((e) => [e.memberId, e.effectiveOn]));
    const recipients = (await this.staff.list()).filter((u) => u.active && (u.role === 'admin' || u.role === 'manager'));
    let reminded = 0;
    for (const member of ending) {
      const days = reminderDue(member.contractEnd, today);
      if (days === null || sent.has(`${member.id}|${member.contractEnd}|${days}`)) continue;
      if ((leaving.get(member.id) ?? '9999-12-31') <= member.contractEnd) continue;
      if (await this.remindOnce(member, days, recipients, now)) reminded++;
    }
    return reminded;
  }

  /** The unique row first: it decides who sends, so a reminder goes out once however many runs race. */
  private async remindOnce(member: Member, days: ReminderDays, recipients: { email: string; name: string }[], now: Date): Promise<boolean> {
    try {
      return await this.tx.run(async (em) => {
        await em.getRepository(ContractReminder).insert({ memberId: member.id, contractEnd: member.contractEnd, daysBefore: days, createdAt: now });
        for (const recipient of recipients) {
          await this.outbox.enqueue(em, {
            consultId: null, kind: 'notice', to: recipient.email,
            subject: `【契約満了 ${days}日前】${memberDisplayName(member)} の契約は ${member.contractEnd} に終了します`,
            bodyText: this.templates.render('contract-reminder', {
              recipientName: recipient.name, member: memberDisplayName(member), days, contractStart: member.contractStart,
              contractEnd: member.contractEnd, suspended: member.status === 'suspended', consoleUrl: this.config.consoleUrl, memberId: member.id,
            }),
          });
        }
        return true;
      });
    } catch (err) {
      if (isUniqueViolation(err)) return false;
      throw err;
    }
  }
}
