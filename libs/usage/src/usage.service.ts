import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { Clock, jstMonthOf, jstMonthRange, NotFoundError, SettingsService, TransactionRunner, ValidationError } from '@kkd/core';
import { ConsultRepository } from '@kkd/consults';
import { StaffUser } from '@kkd/staff';
import { UsageDecision } from './entities/usage-decision.entity';
import { UsageMonth } from './entities/usage-month.entity';
import { UsageMonthClosedError, UsageRefusedError } from './usage.exception';
import { HistoryRow, UsageRepository } from './usage.repository';
import { USAGE_NOTICE, USAGE_SETTINGS, USAGE_TAX_RATE_BP, USAGE_THRESHOLD, USAGE_UNIT_PRICE_YEN } from './usage-settings';
import { ConsultUsage, DecisionInput, MemberUsage, MonthUsage, UsageCandidate, UsageSettings, UsageSettingsInput } from './usage.types';
import { basisPointsToPercent, percentToBasisPoints } from './utils/billing-amount.util';
import { isMonthOver } from './utils/close-schedule.util';
import { fillNotice, isBillingCandidate, rankInMonth } from './utils/rank-in-month.util';

/** The facts of a consult usage needs (a Consult entity has them). */
export interface UsageSubject {
  id: number;
  memberId: number;
  receivedAt: Date;
  mergedIntoId: number | null;
}

const monthRangeOf = (month: string) => {
  const range = jstMonthRange(month);
  if (!range) throw new ValidationError('month', '月は YYYY-MM の形式で指定してください。');
  return range;
};

/**
 * Monthly usage (PRODUCT.md): each member's consults per Japan month by receipt, the billing
 * candidates from the threshold on, managers' decisions, and the usage settings. Closed months are
 * read from their snapshot (UsageCloseService); open and reopened months are computed live.
 */
@Injectable()
export class UsageService {
  constructor(
    private readonly repo: UsageRepository,
    private readonly settingsStore: SettingsService,
    private readonly consults: ConsultRepository,
    private readonly tx: TransactionRunner,
    private readonly clock: Clock,
  ) {}

  async settings(em: EntityManager = this.tx.readManager): Promise<UsageSettings> {
    const [threshold, notice, unitPriceYen, taxRateBp] = await this.settingsStore.getMany(USAGE_SETTINGS, em);
    return { threshold, notice, unitPriceYen, taxRateBp };
  }

  /** Validates every field first (errors by form field), then stores them together with one history entry. */
  async updateSettings(input: UsageSettingsInput, actor: StaffUser): Promise<UsageSettings> {
    const taxRateBp = percentToBasisPoints(input.taxRate);
    if (taxRateBp === null) throw new ValidationError('taxRate', '消費税率は 0〜100 の数（小数第2位まで）で入力してください。');
    const fields = [['threshold', USAGE_THRESHOLD, input.threshold], ['notice', USAGE_NOTICE, input.notice], ['unitPrice', USAGE_UNIT_PRICE_YEN, input.unitPrice]] as const;
    for (const [field, def, text] of fields) {
      try {
        def.parse(text);
      } catch (err) {
        if (err instanceof ValidationError) throw new ValidationError(field, err.message);
        throw err;
      }
    }
    return this.tx.run(async (em) => {
      const before = await this.settings(em);
      const after: UsageSettings = {
        threshold: await this.settingsStore.set(USAGE_THRESHOLD, input.threshold, actor.id, em),
        notice: await this.settingsStore.set(USAGE_NOTICE, input.notice, actor.id, em),
        unitPriceYen: await this.settingsStore.set(USAGE_UNIT_PRICE_YEN, input.unitPrice, actor.id, em),
        taxRateBp: await this.settingsStore.set(USAGE_TAX_RATE_BP, String(taxRateBp), actor.id, em),
      };
      const changes = [
        before.threshold !== after.threshold ? `しきい値 ${before.threshold}件目 → ${after.threshold}件目` : null,
        before.unitPriceYen !== after.unitPriceYen ? `単価 ${before.unitPriceYen.toLocaleString('ja-JP')}円 → ${after.unitPriceYen.toLocaleString('ja-JP')}円` : null,
        before.taxRateBp !== after.taxRateBp ? `消費税率 ${basisPointsToPercent(before.taxRateBp)}% → ${basisPointsToPercent(after.taxRateBp)}%` : null,
        before.notice !== after.notice ? '通知文を変更' : null,
      ].filter((x): x is string => x !== null);
      if (changes.length) {
        await this.repo.record(em, {
          month: null, kind: 'settings', consultId: null, consultNumber: null, decision: null, reason: null,
          summary: changes.join('、'), actorId: actor.id, occurredAt: this.clock.now(),
        });
      }
      return after;
    });
  }

  /**
   * The notice the acknowledgement of a newly opened consult carries, or null below the threshold.
   * One SQL statement inside the intake transaction (the consult is already inserted).
   */
  async acknowledgementNotice(em: EntityManager, consult: { id: number; memberId: number; receivedAt: Date }): Promise<string | null> {
    const month = jstMonthOf(consult.receivedAt);
    const facts = await this.repo.ackFacts(em, consult, month, jstMonthRange(month)!.start);
    const threshold = facts.monthThreshold ?? this.settingsStore.decode(USAGE_THRESHOLD, facts.threshold);
    if (!isBillingCandidate(facts.ordinal, threshold)) return null;
    return fillNotice(this.settingsStore.decode(USAGE_NOTICE, facts.notice), { threshold, ordinal: facts.ordinal });
  }

  async ofConsult(consult: UsageSubject): Promise<ConsultUsage> {
    return (await this.ofConsults([consult])).get(consult.id)!;
  }

  /**
   * Month, ordinal and candidacy of each consult (a page of the queue at a time): a closed month's
   * from its snapshot, others computed from the members' counted consults of those months.
   */
  async ofConsults(consults: UsageSubject[], em: EntityManager = this.tx.readManager): Promise<Map<number, ConsultUsage>> {
    const result = new Map<number, ConsultUsage>();
    if (consults.length === 0) return result;
    const ids = consults.map((c) => c.id);
    const monthOf = new Map(consults.map((c) => [c.id, jstMonthOf(c.receivedAt)]));
    // One after another: `em` may be a transaction's single connection.
    const months = await this.repo.months(em, [...new Set(monthOf.values())]);
    const closed = await this.repo.closedOf(em, ids);
    const decisions = await this.repo.decisionsOf(em, ids);
    const threshold = await this.settingsStore.get(USAGE_THRESHOLD, em);
    const monthRow = new Map(months.map((m) => [m.month, m]));
    const decisionOf = new Map(decisions.map((d) => [d.consultId, d.decision]));
    for (const row of closed) {
      if (monthRow.get(row.month)?.status === 'closed') {
        result.set(row.consultId, { month: row.month, ordinal: row.ordinal, billingCandidate: row.candidate, decision: row.candidate ? (row.decision as ConsultUsage['decision']) : null });
      }
    }
    const live = consults.filter((c) => !result.has(c.id));
    for (const month of new Set(live.map((c) => monthOf.get(c.id)!))) {
      const inMonth = live.filter((c) => monthOf.get(c.id) === month);
      const ordinals = await this.repo.ordinalsOf(em, inMonth.filter((c) => !c.mergedIntoId).map((c) => c.id), monthRangeOf(month));
      const row = monthRow.get(month);
      for (const c of inMonth) {
        const ordinal = c.mergedIntoId ? null : ordinals.get(c.id) ?? null;
        // A consult that reached a closed month after its close is not in the snapshot: not billed.
        const candidate = row?.status !== 'closed' && isBillingCandidate(ordinal, row?.threshold ?? threshold);
        result.set(c.id, { month, ordinal, billingCandidate: candidate, decision: candidate ? decisionOf.get(c.id) ?? null : null });
      }
    }
    return result;
  }

  /** A month's members, counts, candidates and decisions: frozen when closed, live otherwise. */
  async month(month: string, em: EntityManager = this.tx.readManager): Promise<MonthUsage> {
    const range = monthRangeOf(month);
    const [row] = await this.repo.months(em, [month]);
    const base = await this.monthHeader(em, month, row);
    if (row?.status === 'closed') {
      const frozen = await this.repo.closedOfMonth(em, month);
      const decided = await this.repo.decisionsOfMonth(em, month);
      return summarise(base, frozen.map((f) => {
        // Who decided and when, as long as the current decision is still the frozen one.
        const d = f.candidate && f.decision ? decided.get(f.consultId) : undefined;
        const same = d?.decision === f.decision;
        return {
          consultId: f.consultId, number: f.consultNumber, memberId: f.memberId, clubId: f.clubId, nickname: f.nickname, receivedAt: f.receivedAt,
          ordinal: f.ordinal, candidate: f.candidate, decision: f.candidate ? (f.decision as UsageCandidate['decision']) : null, reason: f.candidate ? f.reason : null,
          decidedAt: same ? d!.decidedAt : null, decidedBy: same ? d!.decidedBy : null,
        };
      }));
    }
    const ranked = rankInMonth(await this.repo.monthConsults(em, range));
    return summarise(base, ranked.map((r) => {
      const candidate = isBillingCandidate(r.ordinal, base.threshold);
      return {
        consultId: r.id, number: r.number, memberId: r.memberId, clubId: r.clubId, nickname: r.nickname, receivedAt: new Date(r.receivedAt), ordinal: r.ordinal, candidate,
        decision: candidate ? r.decision : null, reason: candidate ? r.reason : null, decidedAt: candidate ? r.decidedAt : null, decidedBy: candidate ? r.decidedBy : null,
      };
    }));
  }

  /** Everything the managers' usage page shows for a month. */
  async page(month: string): Promise<{ usage: MonthUsage; settings: UsageSettings; history: HistoryRow[]; settingsHistory: HistoryRow[] }> {
    const em = this.tx.readManager;
    const [usage, settings, history, settingsHistory] = await Promise.all([
      this.month(month, em), this.settings(em), this.repo.history(em, month), this.repo.settingsHistory(em),
    ]);
    return { usage, settings, history, settingsHistory };
  }

  /** A manager decides a candidate: billable, or waived with a reason. Refused in a closed month. */
  async decide(input: DecisionInput, actor: StaffUser): Promise<void> {
    let reason = input.reason?.trim() || null;
    const needsReason = () => {
      if (input.decision === 'waived' && !reason) throw new ValidationError('reason', '免除する理由を入力してください。');
    };
    needsReason();
    if (reason && [...reason].length > 500) throw new ValidationError('reason', '理由は500文字以内で入力してください。');
    await this.tx.run(async (em) => {
      await this.repo.lock(em);
      const consult = await this.consults.findByNumber(input.consultNumber, em);
      if (!consult) throw new NotFoundError('consult', input.consultNumber);
      const usage = (await this.ofConsults([consult], em)).get(consult.id)!;
      const [row] = await this.repo.months(em, [usage.month]);
      if (row?.status === 'closed') throw new UsageMonthClosedError(usage.month);
      if (!usage.billingCandidate) throw new UsageRefusedError(`KKD#${consult.number} は追加料金の候補ではありません。`, 'consultNumber');
      // The form offers the current reason again: sent back unchanged with another decision, it is the
      // old decision's reason (a waiver's, under 請求対象), not one for the new decision.
      const previous = await em.getRepository(UsageDecision).findOneBy({ consultId: consult.id });
      if (previous && previous.decision !== input.decision && previous.reason === reason) reason = null;
      needsReason();
      const now = this.clock.now();
      await em.getRepository(UsageDecision).upsert({ consultId: consult.id, month: usage.month, decision: input.decision, reason, decidedBy: actor.id, decidedAt: now }, ['consultId']);
      const label = input.decision === 'billable' ? '請求対象' : '免除';
      await this.repo.record(em, {
        month: usage.month, kind: 'decision', consultId: consult.id, consultNumber: consult.number, decision: input.decision, reason,
        summary: `KKD#${consult.number}（${usage.ordinal}件目）を${label}に判定`, actorId: actor.id, occurredAt: now,
      });
    });
  }

  /** The month's state and the figures it is billed with (frozen at the first close). */
  private async monthHeader(em: EntityManager, month: string, row: UsageMonth | undefined): Promise<Omit<MonthUsage, 'members' | 'candidates'>> {
    const current = row ? null : await this.settings(em);
    const names = row ? await this.staffNames(em, [row.closedBy, row.reopenedBy]) : new Map<number, string>();
    return {
      month, state: row?.status ?? 'open', isOver: isMonthOver(month, this.clock.now()),
      threshold: row?.threshold ?? current!.threshold, unitPriceYen: row?.unitPriceYen ?? current!.unitPriceYen, taxRateBp: row?.taxRateBp ?? current!.taxRateBp,
      closedAt: row?.closedAt ?? null, closedBy: row?.closedBy ? names.get(row.closedBy) ?? null : null,
      reopenedAt: row?.reopenedAt ?? null, reopenedBy: row?.reopenedBy ? names.get(row.reopenedBy) ?? null : null, reopenReason: row?.reopenReason ?? null,
    };
  }

  private async staffNames(em: EntityManager, ids: (number | null)[]): Promise<Map<number, string>> {
    const wanted = [...new Set(ids.filter((x): x is number => x !== null))];
    if (!wanted.length) return new Map();
    const rows = await em.createQueryBuilder().select(['s.id AS id', 's.name AS name']).from('staff_users', 's').where('s.id IN (:...wanted)', { wanted })
      .getRawMany<{ id: number | string; name: string }>();
    return new Map(rows.map((r) => [Number(r.id), r.name]));
  }
}

type CountedRow = UsageCandidate & { candidate: boolean };

/** Members (by club ID) with counts, and the candidates in the same order. */
function summarise(base: Omit<MonthUsage, 'members' | 'candidates'>, rows: CountedRow[]): MonthUsage {
  const members = new Map<number, MemberUsage>();
  for (const r of rows) {
    const m = members.get(r.memberId) ?? { memberId: r.memberId, clubId: r.clubId, nickname: r.nickname, count: 0, candidates: 0, billable: 0, waived: 0, undecided: 0 };
    m.count += 1;
    if (r.candidate) {
      m.candidates += 1;
      if (r.decision === 'billable') m.billable += 1;
      else if (r.decision === 'waived') m.waived += 1;
      else m.undecided += 1;
    }
    members.set(r.memberId, m);
  }
  const byClub = (a: { clubId: string }, b: { clubId: string }) => (a.clubId < b.clubId ? -1 : a.clubId > b.clubId ? 1 : 0);
  const candidates = rows.filter((r) => r.candidate).map(({ candidate: _c, ...rest }) => rest)
    .sort((a, b) => byClub(a, b) || a.memberId - b.memberId || a.ordinal - b.ordinal);
  return { ...base, members: [...members.values()].sort((a, b) => byClub(a, b) || a.memberId - b.memberId), candidates };
}
