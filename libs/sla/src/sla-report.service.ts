import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { BusinessCalendar } from '@kkd/calendar';
import { Clock, ValidationError } from '@kkd/core';
import { endedWithoutResponse } from './utils/no-response.util';
import { median, monthRange, monthsEndingWith, percentile, ratePercent } from './utils/report-figures.util';

/** How a consult's first response stands against its contractual due time. */
export type FirstResponseOutcome = 'on_time' | 'late' | 'overdue' | 'pending' | 'no_response';

export interface ReportConsult {
  number: number;
  subject: string;
  receivedAt: Date;
  firstDueAt: Date;
  firstResponseAt: Date | null;
  /** Business minutes from receipt to the first response. */
  businessMinutes: number | null;
  expert: string | null;
  outcome: FirstResponseOutcome;
}

export interface SlaMonthReport {
  month: string;
  received: number;
  /** Consults whose first response is decided: given, or due and still missing. */
  decided: number;
  onTime: number;
  late: number;
  overdue: number;
  pending: number;
  /** Resolved or closed before any reply, with nothing due: needed none (received = decided + pending + noResponse). */
  noResponse: number;
  onTimeRate: number | null;
  medianBusinessMinutes: number | null;
  p90BusinessMinutes: number | null;
  breaches: ReportConsult[];
  byExpert: { expert: string; responded: number; onTime: number; onTimeRate: number | null; medianBusinessMinutes: number | null; p90BusinessMinutes: number | null }[];
  trend: { month: string; received: number; onTimeRate: number | null }[];
  consults: ReportConsult[];
}

/**
 * The managers' SLA report for a Japan calendar month, by receipt of each consult's first mail.
 * The on-time rate counts decided first responses only; a consult closed without any reply
 * needed none and is left out.
 */
@Injectable()
export class SlaReportService {
  constructor(private readonly dataSource: DataSource, private readonly calendar: BusinessCalendar, private readonly clock: Clock) {}

  async month(month: string): Promise<SlaMonthReport> {
    const range = monthRange(month);
    if (!range) throw new ValidationError('month', `month must be YYYY-MM, got ${JSON.stringify(month)}`);
    const now = this.clock.now();
    const consults = (await this.consultsOf(range)).map((row) => this.outcomeOf(row, now));
    const decided = consults.filter((c) => c.outcome === 'on_time' || c.outcome === 'late' || c.outcome === 'overdue');
    const count = (outcome: FirstResponseOutcome) => consults.filter((c) => c.outcome === outcome).length;
    const answered = consults.filter((c) => c.businessMinutes !== null);
    const experts = new Map<string, ReportConsult[]>();
    for (const c of answered) experts.set(c.expert ?? '(不明)', [...(experts.get(c.expert ?? '(不明)') ?? []), c]);

    return {
      month, received: consults.length, decided: decided.length, onTime: count('on_time'), late: count('late'), overdue: count('overdue'),
      pending: count('pending'), noResponse: count('no_response'), onTimeRate: ratePercent(count('on_time'), decided.length),
      medianBusinessMinutes: median(answered.map((c) => c.businessMinutes!)),
      p90BusinessMinutes: percentile(answered.map((c) => c.businessMinutes!), 90),
      breaches: consults.filter((c) => c.outcome === 'late' || c.outcome === 'overdue'),
      byExpert: [...experts].sort(([a], [b]) => a.localeCompare(b, 'ja')).map(([expert, rows]) => {
        const onTime = rows.filter((r) => r.outcome === 'on_time').length;
        const minutes = rows.map((r) => r.businessMinutes!);
        return { expert, responded: rows.length, onTime, onTimeRate: ratePercent(onTime, rows.length), medianBusinessMinutes: median(minutes), p90BusinessMinutes: percentile(minutes, 90) };
      }),
      trend: await this.trend(month, now),
      consults,
    };
  }

  private consultsOf(range: { start: Date; end: Date }) {
    return this.dataSource.createQueryBuilder()
      .select(['c.number AS number', 'c.subject AS subject', 'c.received_at AS received_at', 'c.first_due_at AS first_due_at',
        'c.first_response_at AS first_response_at', 'c.due_at AS due_at', 's.name AS expert'])
      .from('consults', 'c')
      // The first reply's time is the consult's first response time: that reply's author answered first.
      .leftJoin('messages', 'm', "m.consult_id = c.id AND m.direction = 'outbound' AND m.occurred_at = c.first_response_at")
      .leftJoin('staff_users', 's', 's.id = m.author_id')
      .where('c.received_at >= :start AND c.received_at < :end', { start: range.start.getTime(), end: range.end.getTime() })
      .orderBy('c.received_at', 'ASC').addOrderBy('c.number', 'ASC')
      .getRawMany<{ number: number | string; subject: string; received_at: string | number; first_due_at: string | number | null; first_response_at: string | number | null; due_at: string | number | null; expert: string | null }>();
  }

  private outcomeOf(row: Awaited<ReturnType<SlaReportService['consultsOf']>>[number], now: Date): ReportConsult {
    const instant = (v: string | number | null) => (v === null ? null : new Date(Number(v)));
    const receivedAt = instant(row.received_at)!;
    const firstDueAt = instant(row.first_due_at) ?? this.calendar.dueAt(receivedAt);
    const firstResponseAt = instant(row.first_response_at);
    const outcome: FirstResponseOutcome = endedWithoutResponse({ dueAt: instant(row.due_at), firstResponseAt }) ? 'no_response'
      : firstResponseAt ? (firstResponseAt <= firstDueAt ? 'on_time' : 'late')
        : now > firstDueAt ? 'overdue' : 'pending';
    return {
      number: Number(row.number), subject: row.subject, receivedAt, firstDueAt, firstResponseAt, expert: row.expert, outcome,
      businessMinutes: firstResponseAt ? this.calendar.businessMinutesBetween(receivedAt, firstResponseAt) : null,
    };
  }

  /** Received and on-time rate for the 12 months ending with `month` (one aggregate each). */
  private async trend(month: string, now: Date): Promise<SlaMonthReport['trend']> {
    const result: SlaMonthReport['trend'] = [];
    for (const m of monthsEndingWith(month, 12)) {
      const { start, end } = monthRange(m)!;
      const row = await this.dataSource.createQueryBuilder()
        .select('COUNT(*)', 'received')
        .addSelect('SUM(CASE WHEN c.first_response_at IS NOT NULL AND c.first_response_at <= c.first_due_at THEN 1 ELSE 0 END)', 'on_time')
        .addSelect('SUM(CASE WHEN c.first_response_at IS NOT NULL OR (c.due_at IS NOT NULL AND c.first_due_at < :now) THEN 1 ELSE 0 END)', 'decided')
        .from('consults', 'c')
        .where('c.received_at >= :start AND c.received_at < :end', { start: start.getTime(), end: end.getTime(), now: now.getTime() })
        .getRawOne<{ received: string | number; on_time: string | number | null; decided: string | number | null }>();
      result.push({ month: m, received: Number(row?.received ?? 0), onTimeRate: ratePercent(Number(row?.on_time ?? 0), Number(row?.decided ?? 0)) });
    }
    return result;
  }
}
