import { Injectable, Logger, OnModuleInit } from '@nestjs/common';
import { EntityManager, In } from 'typeorm';
import { BusinessCalendar } from '@kkd/calendar';
import { Consult, Message, slaState } from '@kkd/consults';
import { AppConfig, Clock, DomainEvents } from '@kkd/core';

/**
 * Keeps stored due times in step with the company closings: when a manager adds or removes one,
 * every member message still waiting for an answer whose due time is still ahead gets the due
 * time the new calendar gives it, and its consult's due fields and SLA state follow. A due time
 * already passed never moves, nor is one moved into the past (a breach is never made after the fact).
 */
@Injectable()
export class SlaDueTimesService implements OnModuleInit {
  private readonly logger = new Logger(SlaDueTimesService.name);

  constructor(private readonly events: DomainEvents, private readonly clock: Clock, private readonly config: AppConfig) {}

  onModuleInit(): void {
    this.events.on('calendar.company_holidays_changed', 'sla-due-times', (em, { calendar }) => this.recompute(em, calendar).then(() => undefined));
  }

  /** Returns the number of member messages whose due time moved. */
  async recompute(em: EntityManager, calendar: BusinessCalendar, now = this.clock.now()): Promise<number> {
    const waiting = await em.getRepository(Message).createQueryBuilder('m')
      .select(['m.id', 'm.consultId', 'm.occurredAt', 'm.dueAt'])
      .where("m.direction = 'inbound' AND m.answered_at IS NULL AND m.due_at > :now", { now: now.getTime() })
      .getMany();
    const moved = new Map<number, Set<number>>();
    for (const message of waiting) {
      const due = calendar.dueAt(message.occurredAt);
      if (due.getTime() === message.dueAt!.getTime() || due.getTime() <= now.getTime()) continue;
      await em.getRepository(Message).update(message.id, { dueAt: due });
      moved.set(message.consultId, (moved.get(message.consultId) ?? new Set()).add(message.id));
    }
    if (moved.size === 0) return 0;
    const consults = await em.getRepository(Consult).find({ where: { id: In([...moved.keys()]) } });
    const inbound = await em.getRepository(Message).find({
      select: { id: true, consultId: true, dueAt: true, answeredAt: true }, where: { consultId: In([...moved.keys()]), direction: 'inbound' }, order: { occurredAt: 'ASC', id: 'ASC' },
    });
    for (const consult of consults) {
      const mine = inbound.filter((m) => m.consultId === consult.id);
      const first = mine[0];
      const firstDueAt = first && moved.get(consult.id)!.has(first.id) ? first.dueAt : consult.firstDueAt;
      // As on a reply or a reopening: the consult waits on its oldest waiting message; a consult not waiting stays so.
      const dueAt = consult.dueAt ? (mine.filter((m) => m.dueAt && !m.answeredAt).map((m) => m.dueAt as Date).sort((a, b) => a.getTime() - b.getTime())[0] ?? null) : null;
      const facts = { firstDueAt, dueAt, firstResponseAt: consult.firstResponseAt };
      const state = slaState(facts, now, (from, to) => calendar.businessMinutesBetween(from, to), this.config.SLA_AT_RISK_BUSINESS_MINUTES);
      await em.getRepository(Consult).update(consult.id, { firstDueAt, dueAt, slaState: state });
    }
    const count = [...moved.values()].reduce((sum, ids) => sum + ids.size, 0);
    this.logger.log(`company closings changed: ${count} due time(s) of ${moved.size} consult(s) moved`);
    return count;
  }
}
