import { Injectable, Logger } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { Clock, jstMonthOf, jstMonthRange, shiftJstMonth, TransactionRunner, ValidationError } from '@kkd/core';
import { StaffUser } from '@kkd/staff';
import { UsageMonth } from './entities/usage-month.entity';
import { UsageRefusedError } from './usage.exception';
import { UsageRepository } from './usage.repository';
import { UsageService } from './usage.service';
import { isMonthOver, latestMonthDueForClose } from './utils/close-schedule.util';
import { rankInMonth } from './utils/rank-in-month.util';

export type CloseOutcome = 'closed' | 'already_closed';

/**
 * Closing a month freezes it: every counted consult with its ordinal, candidacy and decision is
 * copied into a snapshot, with the threshold, unit price and tax rate in force, so later merges or
 * settings changes never alter a closed month. A manager may reopen it (with a reason) to change
 * decisions; closing again takes a new snapshot. Every step is recorded in the usage history.
 */
@Injectable()
export class UsageCloseService {
  private readonly logger = new Logger(UsageCloseService.name);

  constructor(
    private readonly repo: UsageRepository,
    private readonly usage: UsageService,
    private readonly tx: TransactionRunner,
    private readonly clock: Clock,
  ) {}

  /** Idempotent: closing a closed month changes nothing. `actor` null is the scheduler. */
  close(month: string, actor: StaffUser | null): Promise<CloseOutcome> {
    return this.tx.run(async (em) => {
      await this.repo.lock(em);
      const now = this.clock.now();
      const [row] = await this.repo.months(em, [month]);
      if (row?.status === 'closed') return 'already_closed';
      if (!isMonthOver(month, now)) throw new UsageRefusedError(`${month} はまだ終わっていないため締められません。`);
      await this.freeze(em, month, row, actor, now);
      return 'closed';
    });
  }

  async reopen(month: string, reason: string, actor: StaffUser): Promise<void> {
    const why = reason.trim();
    if (!why) throw new ValidationError('reason', '再開する理由を入力してください。');
    if ([...why].length > 500) throw new ValidationError('reason', '理由は500文字以内で入力してください。');
    await this.tx.run(async (em) => {
      await this.repo.lock(em);
      const [row] = await this.repo.months(em, [month]);
      if (row?.status !== 'closed') throw new UsageRefusedError(`${month} は締められていないため再開できません。`);
      const now = this.clock.now();
      await em.getRepository(UsageMonth).update({ month }, { status: 'reopened', reopenedAt: now, reopenedBy: actor.id, reopenReason: why });
      await this.repo.record(em, {
        month, kind: 'reopen', consultId: null, consultNumber: null, decision: null, reason: why,
        summary: `${month} を再開`, actorId: actor.id, occurredAt: now,
      });
    });
  }

  /**
   * The scheduler's run: closes every month due by now (from 09:00 JST on the 1st, the month
   * before) that was never closed, so a server that was down at 09:00 catches up on start. A
   * reopened month is the managers' to close again.
   */
  async closeDue(now = this.clock.now()): Promise<string[]> {
    const months = await this.monthsToClose(now);
    const closed: string[] = [];
    for (const month of months) {
      if ((await this.close(month, null)) === 'closed') closed.push(month);
    }
    if (closed.length) this.logger.log(`closed ${closed.join(', ')}`);
    return closed;
  }

  /** Months due for closing that never were, oldest first (cheap: two reads). */
  async monthsToClose(now = this.clock.now()): Promise<string[]> {
    const em = this.tx.readManager;
    const latest = latestMonthDueForClose(now);
    const known = await this.repo.allMonthNames(em);
    if (known.has(latest)) return [];
    const first = await this.repo.earliestReceivedAt(em);
    if (!first) return [];
    const months: string[] = [];
    for (let m = latest; m >= jstMonthOf(first); m = shiftJstMonth(m, -1)) {
      if (!known.has(m)) months.push(m);
    }
    return months.reverse();
  }

  private async freeze(em: EntityManager, month: string, row: UsageMonth | undefined, actor: StaffUser | null, now: Date): Promise<void> {
    const live = await this.usage.month(month, em);
    const candidateOf = new Map(live.candidates.map((c) => [c.consultId, c]));
    const counted = rankInMonth(await this.repo.monthConsults(em, jstMonthRange(month)!));
    await this.repo.replaceSnapshot(em, month, counted.map((c) => {
      const candidate = candidateOf.get(c.id);
      return {
        consultId: c.id, consultNumber: c.number, memberId: c.memberId, clubId: c.clubId, nickname: c.nickname, receivedAt: new Date(c.receivedAt),
        ordinal: c.ordinal, candidate: !!candidate, decision: candidate?.decision ?? null, reason: candidate?.reason ?? null,
      };
    }));
    await em.getRepository(UsageMonth).upsert({
      month, status: 'closed', threshold: live.threshold, unitPriceYen: live.unitPriceYen, taxRateBp: live.taxRateBp,
      closedAt: now, closedBy: actor?.id ?? null, reopenedAt: row?.reopenedAt ?? null, reopenedBy: row?.reopenedBy ?? null, reopenReason: row?.reopenReason ?? null,
    }, ['month']);
    const undecided = live.candidates.filter((c) => !c.decision).length;
    await this.repo.record(em, {
      month, kind: 'close', consultId: null, consultNumber: null, decision: null, reason: null,
      summary: `${month} を締めました（${actor ? '手動' : '自動'}、候補 ${live.candidates.length}件${undecided ? `・未判定 ${undecided}件` : ''}）`,
      actorId: actor?.id ?? null, occurredAt: now,
    });
  }
}
