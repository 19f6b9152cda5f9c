import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { EntityManager, Repository } from 'typeorm';
import { Clock, TransactionRunner } from '@kkd/core';
import { AuditAction, AuditEntry } from './entities/audit-entry.entity';

/** Who acted: a staff account, or null for the system (the scheduler). */
export interface AuditActor {
  id: number;
  email: string;
}

export interface AuditInput {
  actor: AuditActor | null;
  action: AuditAction;
  target: { type: string; id?: string | number | null; label?: string | null };
  details?: Record<string, unknown>;
  /** Defaults to the clock's now. */
  at?: Date;
}

export interface AuditQuery {
  action?: string;
  actorEmail?: string;
  /** Matches the target's label (a club ID) or id exactly. */
  target?: string;
  /** Japan calendar dates, inclusive (YYYY-MM-DD). */
  from?: string;
  to?: string;
  page: number;
  pageSize: number;
}

const CHUNK = 500;
const JST_OFFSET_MS = 9 * 3600_000;
const startOfJapanDay = (date: string) => new Date(Date.parse(`${date}T00:00:00Z`) - JST_OFFSET_MS);

/**
 * The audit log: written in the caller's transaction when one is given, else in a work of its own
 * (on SQLite a bare write would join whatever group is open on the one connection, and be lost if
 * that group rolls back). Read by managers.
 */
@Injectable()
export class AuditService {
  constructor(
    @InjectRepository(AuditEntry) private readonly entries: Repository<AuditEntry>,
    private readonly clock: Clock,
    private readonly tx: TransactionRunner,
  ) {}

  async record(em: EntityManager | null, input: AuditInput): Promise<void> {
    await this.recordMany(em, [input]);
  }

  /** Several entries in one insert (e.g. every member shown in one API answer). */
  async recordMany(em: EntityManager | null, inputs: AuditInput[]): Promise<void> {
    if (inputs.length === 0) return;
    if (!em) return this.tx.run((own) => this.recordMany(own, inputs));
    const now = this.clock.now();
    const rows = inputs.map((input) => ({
      at: input.at ?? now, actorId: input.actor?.id ?? null, actorEmail: input.actor?.email ?? null, action: input.action,
      targetType: input.target.type, targetId: input.target.id === undefined || input.target.id === null ? null : String(input.target.id),
      targetLabel: input.target.label ?? null, details: input.details ? JSON.stringify(input.details) : null,
    }));
    // In chunks: a whole members import in one statement would pass SQLite's bound-parameter limit.
    for (let i = 0; i < rows.length; i += CHUNK) await em.getRepository(AuditEntry).insert(rows.slice(i, i + CHUNK));
  }

  /** Newest first. */
  async list(query: AuditQuery): Promise<{ items: AuditEntry[]; total: number }> {
    const qb = this.entries.createQueryBuilder('a');
    if (query.action) qb.andWhere('a.action = :action', { action: query.action });
    if (query.actorEmail) qb.andWhere('a.actor_email = :actor', { actor: query.actorEmail.trim().toLowerCase() });
    if (query.target) qb.andWhere('(a.target_label = :target OR a.target_id = :target)', { target: query.target.trim() });
    if (query.from) qb.andWhere('a.at >= :from', { from: startOfJapanDay(query.from).getTime() });
    if (query.to) qb.andWhere('a.at < :to', { to: startOfJapanDay(query.to).getTime() + 86_400_000 });
    const [items, total] = await qb.orderBy('a.at', 'DESC').addOrderBy('a.id', 'DESC')
      .skip((query.page - 1) * query.pageSize).take(query.pageSize).getManyAndCount();
    return { items, total };
  }

  /** The distinct actions recorded so far (the filter's choices). */
  async actions(): Promise<string[]> {
    const rows = await this.entries.createQueryBuilder('a').select('DISTINCT a.action', 'action').orderBy('a.action').getRawMany<{ action: string }>();
    return rows.map((r) => r.action);
  }
}
