import { Injectable } from '@nestjs/common';
import { EntityManager, In } from 'typeorm';
import { SettingsService } from '@kkd/core';
import { UsageClosedConsult } from './entities/usage-closed-consult.entity';
import { UsageDecision, UsageDecisionKind } from './entities/usage-decision.entity';
import { UsageHistory } from './entities/usage-history.entity';
import { UsageMonth } from './entities/usage-month.entity';
import { USAGE_NOTICE, USAGE_THRESHOLD } from './usage-settings';

type Range = { start: Date; end: Date };
const num = (v: string | number | null) => (v === null ? null : Number(v));

/** A counted consult of a month with its member and its current decision. */
export interface MonthConsultRow {
  id: number;
  number: number;
  memberId: number;
  clubId: string;
  nickname: string;
  receivedAt: number;
  decision: UsageDecisionKind | null;
  reason: string | null;
  decidedAt: Date | null;
  decidedBy: string | null;
}

export interface HistoryRow {
  kind: UsageHistory['kind'];
  month: string | null;
  consultNumber: number | null;
  decision: string | null;
  reason: string | null;
  summary: string;
  actor: string | null;
  occurredAt: Date;
}

/** What the acknowledgement needs, read in one statement. */
export interface AckFacts {
  ordinal: number;
  monthThreshold: number | null;
  threshold: string | null;
  notice: string | null;
}

/**
 * The usage queries. A consult counts in the Japan month of its receipt unless it was merged into
 * another (merged_into_id); counts are always computed from consults, so merges and late
 * deliveries are right without any stored counter. Indexed by consults(member_id, received_at)
 * and consults(received_at).
 */
@Injectable()
export class UsageRepository {
  /** Every counted consult received in the range, with its member and decision. */
  async monthConsults(em: EntityManager, range: Range): Promise<MonthConsultRow[]> {
    const rows = await em.createQueryBuilder()
      .select(['c.id AS id', 'c.number AS number', 'c.member_id AS member_id', 'c.received_at AS received_at', 'm.club_id AS club_id',
        'm.nickname AS nickname', 'd.decision AS decision', 'd.reason AS reason', 'd.decided_at AS decided_at', 's.name AS decided_by'])
      .from('consults', 'c')
      .innerJoin('members', 'm', 'm.id = c.member_id')
      .leftJoin('usage_decisions', 'd', 'd.consult_id = c.id')
      .leftJoin('staff_users', 's', 's.id = d.decided_by')
      .where('c.received_at >= :start AND c.received_at < :end AND c.merged_into_id IS NULL', { start: range.start.getTime(), end: range.end.getTime() })
      .getRawMany<Record<string, string | number | null>>();
    return rows.map((r) => ({
      id: Number(r.id), number: Number(r.number), memberId: Number(r.member_id), clubId: String(r.club_id), nickname: String(r.nickname),
      receivedAt: Number(r.received_at), decision: (r.decision as UsageDecisionKind | null) ?? null, reason: (r.reason as string | null) ?? null,
      decidedAt: r.decided_at === null ? null : new Date(Number(r.decided_at)), decidedBy: (r.decided_by as string | null) ?? null,
    }));
  }

  /**
   * The ordinal in the range of each of these consults that counts (not merged), by id: how many
   * counted consults of the same member came before it or are it. Counted in the database on the
   * partial index consults(member_id, received_at, id) WHERE merged_into_id IS NULL, so a queue page
   * at a million consults does not fetch every consult its members sent that month.
   */
  async ordinalsOf(em: EntityManager, consultIds: number[], range: Range): Promise<Map<number, number>> {
    if (consultIds.length === 0) return new Map();
    const rows = await em.createQueryBuilder()
      .select('p.id', 'id')
      .addSelect(`(SELECT COUNT(*) FROM consults o WHERE o.member_id = p.member_id AND o.merged_into_id IS NULL
        AND o.received_at >= :start AND o.received_at < :end
        AND (o.received_at < p.received_at OR (o.received_at = p.received_at AND o.id <= p.id)))`, 'ordinal')
      .from('consults', 'p')
      .where('p.id IN (:...consultIds) AND p.merged_into_id IS NULL AND p.received_at >= :start AND p.received_at < :end',
        { consultIds, start: range.start.getTime(), end: range.end.getTime() })
      .getRawMany<{ id: number | string; ordinal: number | string }>();
    return new Map(rows.map((r) => [Number(r.id), Number(r.ordinal)]));
  }

  /**
   * The consult's ordinal in its month and the settings the acknowledgement needs, in ONE
   * statement on the index consults(member_id, received_at) and two primary keys: intake pays
   * one round trip per new consult for usage.
   */
  async ackFacts(em: EntityManager, consult: { id: number; memberId: number; receivedAt: Date }, month: string, monthStart: Date): Promise<AckFacts> {
    const sql = `SELECT
      (SELECT COUNT(*) FROM consults o WHERE o.member_id = :memberId AND o.merged_into_id IS NULL AND o.received_at >= :start
        AND (o.received_at < :at OR (o.received_at = :at AND o.id <= :id))) AS ordinal,
      (SELECT um.threshold FROM usage_months um WHERE um.month = :month) AS month_threshold,
      ${SettingsService.storedValueSql('thresholdKey')} AS threshold,
      ${SettingsService.storedValueSql('noticeKey')} AS notice`;
    const [query, parameters] = em.connection.driver.escapeQueryWithParameters(sql, {
      memberId: consult.memberId, start: monthStart.getTime(), at: consult.receivedAt.getTime(), id: consult.id, month,
      thresholdKey: USAGE_THRESHOLD.key, noticeKey: USAGE_NOTICE.key,
    }, {});
    const [row] = (await em.query(query, parameters)) as Record<string, string | number | null>[];
    return { ordinal: Number(row.ordinal), monthThreshold: num(row.month_threshold), threshold: row.threshold === null ? null : String(row.threshold), notice: row.notice === null ? null : String(row.notice) };
  }

  /**
   * Serialises the writers of usage (decide, close, reopen) for the rest of the transaction: on
   * PostgreSQL a decision waits for a close under way and then sees the month closed.
   */
  async lock(em: EntityManager): Promise<void> {
    await em.query("UPDATE counters SET value = value + 1 WHERE name = 'usage'");
  }

  months(em: EntityManager, months: string[]): Promise<UsageMonth[]> {
    return months.length ? em.getRepository(UsageMonth).findBy({ month: In(months) }) : Promise.resolve([]);
  }

  async allMonthNames(em: EntityManager): Promise<Set<string>> {
    return new Set((await em.getRepository(UsageMonth).find({ select: { month: true } })).map((m) => m.month));
  }

  closedOfMonth(em: EntityManager, month: string): Promise<UsageClosedConsult[]> {
    return em.getRepository(UsageClosedConsult).find({ where: { month }, order: { memberId: 'ASC', ordinal: 'ASC' } });
  }

  closedOf(em: EntityManager, consultIds: number[]): Promise<UsageClosedConsult[]> {
    return consultIds.length ? em.getRepository(UsageClosedConsult).findBy({ consultId: In(consultIds) }) : Promise.resolve([]);
  }

  decisionsOf(em: EntityManager, consultIds: number[]): Promise<UsageDecision[]> {
    return consultIds.length ? em.getRepository(UsageDecision).findBy({ consultId: In(consultIds) }) : Promise.resolve([]);
  }

  /** The decisions taken in a month, with who took them, by consult id. */
  async decisionsOfMonth(em: EntityManager, month: string): Promise<Map<number, { decision: string; decidedAt: Date; decidedBy: string | null }>> {
    const rows = await em.createQueryBuilder()
      .select(['d.consult_id AS consult_id', 'd.decision AS decision', 'd.decided_at AS decided_at', 's.name AS decided_by'])
      .from('usage_decisions', 'd').leftJoin('staff_users', 's', 's.id = d.decided_by')
      .where('d.month = :month', { month })
      .getRawMany<Record<string, string | number | null>>();
    return new Map(rows.map((r) => [Number(r.consult_id), { decision: String(r.decision), decidedAt: new Date(Number(r.decided_at)), decidedBy: (r.decided_by as string | null) ?? null }]));
  }

  async replaceSnapshot(em: EntityManager, month: string, rows: Omit<UsageClosedConsult, 'month'>[]): Promise<void> {
    await em.getRepository(UsageClosedConsult).delete({ month });
    // Chunks keep every statement under SQLite's bound-parameter limit.
    for (let i = 0; i < rows.length; i += 400) {
      await em.getRepository(UsageClosedConsult).insert(rows.slice(i, i + 400).map((r) => ({ ...r, month })));
    }
  }

  async earliestReceivedAt(em: EntityManager): Promise<Date | null> {
    const row = await em.createQueryBuilder().select('MIN(c.received_at)', 'first').from('consults', 'c').getRawOne<{ first: string | number | null }>();
    return row?.first === null || row?.first === undefined ? null : new Date(Number(row.first));
  }

  record(em: EntityManager, entry: Omit<UsageHistory, 'id'>): Promise<unknown> {
    return em.getRepository(UsageHistory).insert(entry);
  }

  /** The month's decisions, closes and reopens, newest first. */
  history(em: EntityManager, month: string): Promise<HistoryRow[]> {
    return this.historyWhere(em, 'h.month = :month', { month }, 500);
  }

  /** Settings changes, newest first. */
  settingsHistory(em: EntityManager, limit = 20): Promise<HistoryRow[]> {
    return this.historyWhere(em, "h.kind = 'settings'", {}, limit);
  }

  private async historyWhere(em: EntityManager, where: string, params: Record<string, unknown>, limit: number): Promise<HistoryRow[]> {
    const rows = await em.createQueryBuilder()
      .select(['h.kind AS kind', 'h.month AS month', 'h.consult_number AS consult_number', 'h.decision AS decision', 'h.reason AS reason',
        'h.summary AS summary', 's.name AS actor', 'h.occurred_at AS occurred_at'])
      .from('usage_history', 'h').leftJoin('staff_users', 's', 's.id = h.actor_id')
      .where(where, params).orderBy('h.occurred_at', 'DESC').addOrderBy('h.id', 'DESC').limit(limit)
      .getRawMany<Record<string, string | number | null>>();
    return rows.map((r) => ({
      kind: r.kind as HistoryRow['kind'], month: (r.month as string | null) ?? null, consultNumber: num(r.consult_number), decision: (r.decision as string | null) ?? null,
      reason: (r.reason as string | null) ?? null, summary: String(r.summary), actor: (r.actor as string | null) ?? null, occurredAt: new Date(Number(r.occurred_at)),
    }));
  }
}
