import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { Between, EntityManager, In, IsNull, Not, Repository, SelectQueryBuilder } from 'typeorm';
import { statementsTogether } from '@kkd/core';
import { Category, ConsultEventKind, ConsultStatus, OPEN_STATUSES, Priority, SlaState } from './consult-codes';
import { ConsultEvent } from './entities/consult-event.entity';
import { Attachment } from './entities/attachment.entity';
import { Consult } from './entities/consult.entity';
import { Message } from './entities/message.entity';
import { MailContent } from './utils/same-mail.util';

export interface ConsultListQuery {
  status?: ConsultStatus;
  /** Only consults that still need work (new, open, waiting for the member). */
  openOnly?: boolean;
  category?: Category;
  priority?: Priority;
  /** Staff id, or null for unassigned consults. */
  assigneeId?: number | null;
  q?: string;
  /** Stored SLA state (as of the last sweep). */
  sla?: SlaState;
  page: number;
  pageSize: number;
  /** Receipt time, or due time first (consults waiting for nobody last), or best match first (with `q`). */
  order: 'newest' | 'oldest' | 'due' | 'relevance';
}

/** An inbound mail already stored: which consult holds it, and whose it is. */
export interface DeliveredMail {
  number: number;
  memberId: number;
}

export interface QueueCounts {
  mine: number;
  unassigned: number;
  atRisk: number;
  breached: number;
  all: number;
}

/** Delta rows of the total or of the status counts (PostgreSQL) that a reader folds into the counters: summing them stays cheap. */
const FOLD_TOTAL_AT = 500;

@Injectable()
export class ConsultRepository {
  constructor(
    @InjectRepository(Consult) private readonly consults: Repository<Consult>,
    @InjectRepository(Message) private readonly messages: Repository<Message>,
  ) {}

  /**
   * A page of the queue with its filters; `q` is not read here (ConsultSearchService reads it and
   * passes the consults it matches as `restrict`, a condition on `c` with its parameters).
   * The page's ids come from the consults table alone (an indexed ORDER BY … LIMIT; member and
   * assignee never add or drop a row), then those consults are loaded with their joins: TypeORM's
   * getManyAndCount would page and count over the joins with DISTINCT, a sort of every match.
   */
  async list(query: ConsultListQuery, restrict?: { where: string; params: Record<string, unknown> }): Promise<{ items: Consult[]; total: number }> {
    const page = this.filtered(query).select('c.id', 'id');
    if (restrict) page.andWhere(restrict.where, restrict.params);
    if (query.order === 'due') page.orderBy('c.due_at', 'ASC', 'NULLS LAST').addOrderBy('c.received_at', 'ASC').addOrderBy('c.id', 'ASC');
    else page.orderBy('c.received_at', query.order === 'oldest' ? 'ASC' : 'DESC').addOrderBy('c.id', query.order === 'oldest' ? 'ASC' : 'DESC');
    page.offset((query.page - 1) * query.pageSize).limit(query.pageSize);
    const [rows, total] = await Promise.all([page.getRawMany<{ id: number | string }>(), this.count(query, restrict)]);
    return { items: await this.byIds(rows.map((r) => Number(r.id))), total };
  }

  /**
   * How many consults pass the filters: the kept total when none applies, the kept counts per
   * status when only statuses are asked for, else a plain COUNT(*).
   */
  private async count(query: ConsultListQuery, restrict?: { where: string; params: Record<string, unknown> }): Promise<number> {
    const statuses = restrict ? null : statusesOnly(query);
    if (statuses) return this.statusTotal(statuses);
    const qb = this.filtered(query);
    if (restrict) qb.andWhere(restrict.where, restrict.params);
    return qb.expressionMap.wheres.length === 0 ? this.total() : countRows(qb);
  }

  /**
   * Every consult: the counter the database's triggers keep (migrations QueueIndexes and
   * IntakeCounters), not a scan. On PostgreSQL the triggers leave one delta row per statement, so
   * that intakes share no row; they are added here, and folded into the counter once there are
   * FOLD_TOTAL_AT of them (one statement: a concurrent fold or intake cannot lose or count one twice).
   */
  async total(): Promise<number> {
    const em = this.consults.manager;
    if (em.connection.options.type !== 'postgres') {
      const rows: { value: number | string }[] = await em.query("SELECT value FROM counters WHERE name = 'consults_total'");
      return Number(rows[0]?.value ?? 0);
    }
    const [row] = (await em.query(`SELECT c.value + COALESCE(d.sum, 0) AS value, d.n AS pending
      FROM counters c, (SELECT SUM(delta) AS sum, COUNT(*) AS n FROM consults_total_deltas) d WHERE c.name = 'consults_total'`)) as { value: string; pending: string }[];
    if (Number(row.pending) >= FOLD_TOTAL_AT) {
      await em.query(`WITH folded AS (DELETE FROM consults_total_deltas RETURNING delta)
        UPDATE counters SET value = value + (SELECT COALESCE(SUM(delta), 0) FROM folded) WHERE name = 'consults_total'`);
    }
    return Number(row.value);
  }

  /**
   * Consults in any of these statuses: the counts the triggers keep per status (migration
   * StatusCounts), added and folded as total() does with the total's delta rows.
   */
  async statusTotal(statuses: readonly ConsultStatus[]): Promise<number> {
    if (statuses.length === 0) return 0;
    const em = this.consults.manager;
    if (em.connection.options.type !== 'postgres') {
      const rows: { value: number | string | null }[] = await em.query(
        `SELECT SUM(value) AS value FROM consult_status_counts WHERE status IN (${statuses.map(() => '?').join(', ')})`, [...statuses],
      );
      return Number(rows[0]?.value ?? 0);
    }
    const [row] = (await em.query(`SELECT (SELECT COALESCE(SUM(value), 0) FROM consult_status_counts WHERE status = ANY($1))
        + (SELECT COALESCE(SUM(delta), 0) FROM consult_status_deltas WHERE status = ANY($1)) AS value,
      (SELECT COUNT(*) FROM consult_status_deltas) AS pending`, [statuses])) as { value: string; pending: string }[];
    if (Number(row.pending) >= FOLD_TOTAL_AT) {
      await em.query(`WITH folded AS (DELETE FROM consult_status_deltas RETURNING status, delta)
        INSERT INTO consult_status_counts (status, value) SELECT status, SUM(delta) FROM folded GROUP BY status
        ON CONFLICT (status) DO UPDATE SET value = consult_status_counts.value + EXCLUDED.value`);
    }
    return Number(row.value);
  }

  /**
   * The query's filters (not `q`) as a condition on a consult id expression, with its parameters;
   * null when every consult passes.
   */
  filterCondition(query: ConsultListQuery): { allows: (id: string) => string; params: Record<string, unknown> } | null {
    const qb = this.filtered(query).select('1');
    if (qb.expressionMap.wheres.length === 0) return null;
    const sql = qb.getQuery();
    return { allows: (id) => `EXISTS (${sql} AND c.id = ${id})`, params: qb.getParameters() };
  }

  /** Consults with member and assignee, in the order of `ids`. */
  async byIds(ids: number[]): Promise<Consult[]> {
    if (ids.length === 0) return [];
    const found = await this.consults.find({ where: { id: In(ids) }, relations: { member: true, assignee: true } });
    const byId = new Map(found.map((c) => [c.id, c]));
    return ids.flatMap((id) => byId.get(id) ?? []);
  }

  /** The consult with this number if it passes the query's filters. */
  async idWithNumber(number: number, query: ConsultListQuery): Promise<number | null> {
    const row = await this.filtered(query).select('c.id', 'id').andWhere('c.number = :number', { number }).getRawOne<{ id: number | string }>();
    return row ? Number(row.id) : null;
  }

  /**
   * The newest consults passing the filters that have messages above `afterMessageId` (the search
   * index has not read them yet), with their subjects.
   */
  unindexed(query: ConsultListQuery, afterMessageId: number, limit: number): Promise<Pick<Consult, 'id' | 'memberId' | 'subject'>[]> {
    return this.filtered(query).select(['c.id', 'c.memberId', 'c.subject'])
      .andWhere('c.id IN (SELECT m.consult_id FROM messages m WHERE m.id > :after)', { after: afterMessageId })
      .orderBy('c.id', 'DESC').limit(limit).getMany();
  }

  private filtered(query: ConsultListQuery) {
    const qb = this.consults.createQueryBuilder('c');
    if (query.status) qb.andWhere('c.status = :status', { status: query.status });
    if (query.openOnly) qb.andWhere('c.status IN (:...open)', { open: OPEN_STATUSES });
    if (query.category) qb.andWhere('c.category = :category', { category: query.category });
    if (query.priority) qb.andWhere('c.priority = :priority', { priority: query.priority });
    if (query.assigneeId === null) qb.andWhere('c.assignee_id IS NULL');
    else if (query.assigneeId !== undefined) qb.andWhere('c.assignee_id = :assigneeId', { assigneeId: query.assigneeId });
    if (query.sla) qb.andWhere('c.sla_state = :sla', { sla: query.sla });
    return qb;
  }

  findById(id: number): Promise<Consult | null> {
    return this.consults.findOne({ where: { id } });
  }

  findByNumber(number: number, em: EntityManager = this.consults.manager): Promise<Consult | null> {
    return em.getRepository(Consult).findOne({ where: { number }, relations: { member: true, assignee: true } });
  }

  /** Consults with a member message waiting for an answer, oldest due first. */
  waitingForAnswer(): Promise<Consult[]> {
    return this.consults.find({
      where: { dueAt: Not(IsNull()) }, relations: { member: true, assignee: true }, order: { dueAt: 'ASC', id: 'ASC' },
    });
  }

  /** The member message a due time belongs to (the oldest, should two share it). */
  messageDueAt(consultId: number, dueAt: Date, em: EntityManager = this.messages.manager): Promise<Message | null> {
    return em.getRepository(Message).findOne({ where: { consultId, direction: 'inbound', dueAt }, order: { occurredAt: 'ASC', id: 'ASC' } });
  }

  /** The queue views' counts for the navigation: mine and unassigned (open ones), at risk, breached, all. */
  async queueCounts(staffId: number): Promise<QueueCounts> {
    const open = { open: OPEN_STATUSES };
    const count = (where: string, params: Record<string, unknown>) => countRows(this.consults.createQueryBuilder('c').where(where, params));
    const [mine, unassigned, all, alerts] = await Promise.all([
      count('c.assignee_id = :id AND c.status IN (:...open)', { id: staffId, ...open }),
      count('c.assignee_id IS NULL AND c.status IN (:...open)', open),
      this.total(),
      this.slaAlertCounts(),
    ]);
    return { mine, unassigned, all, ...alerts };
  }

  /** How many consults are at risk and breached (as of the last sweep). */
  async slaAlertCounts(): Promise<{ atRisk: number; breached: number }> {
    const rows: { state: SlaState; n: number | string }[] = await this.consults.createQueryBuilder('c')
      .select('c.sla_state', 'state').addSelect('COUNT(*)', 'n')
      .where('c.sla_state IN (:...states)', { states: ['at_risk', 'breached'] }).groupBy('c.sla_state').getRawMany();
    const count = (state: SlaState) => Number(rows.find((r) => r.state === state)?.n ?? 0);
    return { atRisk: count('at_risk'), breached: count('breached') };
  }

  /** Stores the SLA states the sweep computed, one statement per state. */
  async saveSlaStates(changes: Map<number, SlaState>, em: EntityManager): Promise<void> {
    const byState = new Map<SlaState, number[]>();
    for (const [id, state] of changes) byState.set(state, [...(byState.get(state) ?? []), id]);
    for (const [state, ids] of byState) await em.getRepository(Consult).update({ id: In(ids) }, { slaState: state });
  }

  /** A stored file with the consult it came with (its member decides how an expert sees its name). */
  findAttachment(id: number): Promise<Attachment | null> {
    return this.messages.manager.getRepository(Attachment).findOne({
      where: { id }, relations: { message: { consult: true } },
      select: { id: true, filename: true, storagePath: true, deletedAt: true, message: { id: true, consult: { id: true, memberId: true } } },
    });
  }

  thread(consultId: number): Promise<Message[]> {
    return this.messages.find({
      where: { consultId }, relations: { author: true, attachments: true }, order: { occurredAt: 'ASC', id: 'ASC' },
    });
  }

  /** The consult a mail answers, found by the Message-IDs it refers to (ours or the member's). */
  async findByReferencedMessageIds(messageIds: string[], em: EntityManager): Promise<Consult | null> {
    if (messageIds.length === 0) return null;
    const message = await em.getRepository(Message).findOne({ where: { messageIdHeader: In(messageIds) }, order: { id: 'DESC' } });
    const viaOutbox: { consult_id: number }[] = message ? [] : await em.createQueryBuilder()
      .select('o.consult_id', 'consult_id').from('outbound_mails', 'o')
      .where('o.message_id_header IN (:...ids)', { ids: messageIds }).andWhere('o.consult_id IS NOT NULL').limit(1).getRawMany();
    const consultId = message?.consultId ?? viaOutbox[0]?.consult_id;
    return consultId ? em.getRepository(Consult).findOne({ where: { id: consultId }, relations: { member: true } }) : null;
  }

  /** The member's consult that most recently got an encrypted attachment, since `since`. */
  async latestWithEncryptedAttachment(memberId: number, since: Date, em: EntityManager): Promise<Consult | null> {
    const row = await em.getRepository(Message).createQueryBuilder('m')
      .innerJoin('m.attachments', 'a', 'a.encrypted = :yes', { yes: true })
      .innerJoin('m.consult', 'c')
      .where('c.member_id = :memberId AND m.direction = :inbound AND m.occurred_at >= :since', { memberId, inbound: 'inbound', since: since.getTime() })
      .orderBy('m.occurredAt', 'DESC').select('m.consult_id', 'consult_id').limit(1).getRawOne<{ consult_id: number }>();
    return row ? em.getRepository(Consult).findOne({ where: { id: row.consult_id }, relations: { member: true } }) : null;
  }

  /**
   * The next consult number. PostgreSQL: a sequence (migration IntakeCounters), which holds no
   * lock to the commit, so concurrent intakes do not wait for each other's commit here; a
   * rolled-back intake leaves a gap. SQLite writes one transaction at a time anyway and keeps the
   * counter row; the leading comment makes TypeORM's SQLite runner return the RETURNING rows (it
   * drops rows of statements that begin with "UPDATE").
   */
  async nextNumber(em: EntityManager): Promise<number> {
    if (!em.queryRunner) throw new Error('nextNumber runs inside the intake transaction');
    if (em.connection.options.type === 'postgres') {
      const rows: { value: number | string }[] = await em.query("SELECT nextval('consult_number_seq') AS value");
      return Number(rows[0].value);
    }
    const result = await em.queryRunner.query(
      "/* next consult number */ UPDATE counters SET value = value + 1 WHERE name = 'consult_number' RETURNING value", [], true,
    ) as { records: { value: number | string }[] };
    return Number(result.records[0].value);
  }

  /** The consult holding a member's mail with this Message-ID (the same mail delivered again). */
  /**
   * The consults that already hold this inbound Message-ID (one per member that used it), as
   * number and member. Checked on every mail: plain SQL, no entity to build.
   */
  async findByInboundMessageId(messageId: string, em: EntityManager): Promise<DeliveredMail[]> {
    const rows = (await em.query(...em.connection.driver.escapeQueryWithParameters(
      `SELECT c.number AS number, c.member_id AS member_id FROM messages m JOIN consults c ON c.id = m.consult_id
       WHERE m.message_id_header = :messageId AND m.direction = 'inbound' ORDER BY c.id`, { messageId }, {},
    ))) as { number: number | string; member_id: number | string }[];
    return rows.map((r) => ({ number: Number(r.number), memberId: Number(r.member_id) }));
  }

  /**
   * A member's inbound mails with this Message-ID, as what a sender's retry keeps identical
   * (subject, text, attachment hashes) and their consult's number.
   */
  async inboundMailsWithMessageId(memberId: number, messageId: string, em: EntityManager): Promise<(MailContent & { number: number })[]> {
    const rows = await em.getRepository(Message).createQueryBuilder('m')
      .innerJoin('m.consult', 'c')
      .leftJoin('m.attachments', 'a')
      .where('m.message_id_header = :messageId AND m.direction = :inbound AND c.member_id = :memberId', { messageId, inbound: 'inbound', memberId })
      .select('m.id', 'id').addSelect('c.number', 'number').addSelect('m.subject', 'subject').addSelect('m.text', 'text').addSelect('a.sha256', 'sha256')
      .orderBy('m.id').getRawMany<{ id: number; number: number | string; subject: string; text: string; sha256: string | null }>();
    const mails = new Map<number, MailContent & { number: number }>();
    for (const r of rows) {
      const mail = mails.get(Number(r.id)) ?? { number: Number(r.number), subject: r.subject, text: r.text, attachmentHashes: [] };
      if (r.sha256) mail.attachmentHashes.push(r.sha256);
      mails.set(Number(r.id), mail);
    }
    return [...mails.values()];
  }

  /** Triage's result on a new consult, with its line on the timeline. */
  async applyTriage(em: EntityManager, consultId: number, category: Category, priority: Priority, matchesJson: string, summary: string, at: Date): Promise<void> {
    // updateEntity(false): TypeORM would otherwise read the defaulted columns back (a statement more).
    await statementsTogether(em, [
      () => em.createQueryBuilder().update(Consult).set({ category, priority, triageMatches: matchesJson, categorySource: 'triage', prioritySource: 'triage' })
        .where('id = :consultId', { consultId }).updateEntity(false).execute(),
      () => this.recordEvent(em, consultId, 'triaged', summary, null, at),
    ]);
  }

  recordEvent(em: EntityManager, consultId: number, kind: ConsultEventKind, summary: string, actorId: number | null, at: Date): Promise<unknown> {
    return em.getRepository(ConsultEvent).insert({ consultId, kind, summary, actorId, occurredAt: at });
  }

  timeline(consultId: number): Promise<ConsultEvent[]> {
    return this.consults.manager.getRepository(ConsultEvent).find({ where: { consultId }, relations: { actor: true }, order: { occurredAt: 'ASC', id: 'ASC' } });
  }

  /** Open consults per assignee (only those asked for): an expert's load. */
  /** The due time of the consult's oldest member message that no reply has answered; null when none waits. */
  async oldestWaitingDue(consultId: number, em: EntityManager): Promise<Date | null> {
    const row = await em.getRepository(Message).createQueryBuilder('m').select('MIN(m.due_at)', 'due')
      .where("m.consult_id = :consultId AND m.direction = 'inbound' AND m.answered_at IS NULL AND m.due_at IS NOT NULL", { consultId })
      .getRawOne<{ due: number | string | null }>();
    return row?.due == null ? null : new Date(Number(row.due));
  }

  async openLoads(staffIds: number[], em: EntityManager = this.consults.manager): Promise<Map<number, number>> {
    if (staffIds.length === 0) return new Map();
    const rows: { assignee_id: number; n: number | string }[] = await em.getRepository(Consult).createQueryBuilder('c')
      .select('c.assignee_id', 'assignee_id').addSelect('COUNT(*)', 'n')
      .where('c.status IN (:...open)', { open: OPEN_STATUSES }).andWhere('c.assignee_id IN (:...ids)', { ids: staffIds })
      .groupBy('c.assignee_id').getRawMany();
    return new Map(rows.map((r) => [Number(r.assignee_id), Number(r.n)]));
  }

  /** The most recent consults with the text of the mail that opened each (triage previews). */
  async recentOpenings(limit: number): Promise<{ number: number; subject: string; text: string }[]> {
    const consults = await this.consults.find({ where: { mergedIntoId: IsNull() }, order: { receivedAt: 'DESC', id: 'DESC' }, take: limit });
    return Promise.all(consults.map(async (c) => ({ number: c.number, subject: c.subject, text: (await this.openingText(c.id)) ?? '' })));
  }

  /** The text of the member mail that opened a consult. */
  async openingText(consultId: number, em: EntityManager = this.messages.manager): Promise<string | null> {
    const first = await em.getRepository(Message).findOne({ where: { consultId, direction: 'inbound' }, order: { occurredAt: 'ASC', id: 'ASC' }, select: { id: true, text: true } });
    return first?.text ?? null;
  }

  /** Finished consults of a category, newest first (similar past answers are looked for among them). */
  finishedInCategory(category: Category, excludeId: number, limit: number): Promise<Consult[]> {
    return this.consults.find({
      where: { category, status: In(['resolved', 'closed']), mergedIntoId: IsNull(), id: Not(excludeId) },
      order: { receivedAt: 'DESC', id: 'DESC' }, take: limit,
    });
  }

  /** A member's other consults received between two instants (possible duplicates). */
  memberConsultsBetween(memberId: number, from: Date, to: Date, excludeId: number): Promise<Consult[]> {
    return this.consults.find({
      where: { memberId, receivedAt: Between(from, to), mergedIntoId: IsNull(), id: Not(excludeId) },
      order: { receivedAt: 'ASC', id: 'ASC' },
    });
  }

  /**
   * A member's consults received before this one, newest first (the consult page's history).
   * One statement on the (member_id, received_at) index; merged duplicates are left out.
   */
  memberHistory(consult: Pick<Consult, 'id' | 'memberId' | 'receivedAt'>, limit: number): Promise<Consult[]> {
    return this.consults.createQueryBuilder('c')
      .select(['c.id', 'c.number', 'c.subject', 'c.status', 'c.category', 'c.receivedAt'])
      .where('c.member_id = :memberId AND c.merged_into_id IS NULL AND c.id <> :id', { memberId: consult.memberId, id: consult.id })
      .andWhere('(c.received_at < :at OR (c.received_at = :at AND c.id < :id))', { at: consult.receivedAt.getTime() })
      .orderBy('c.receivedAt', 'DESC').addOrderBy('c.id', 'DESC').limit(limit).getMany();
  }

  /** The text of the mail that opened each consult, by consult id. */
  async openingTexts(consultIds: number[]): Promise<Map<number, string>> {
    if (consultIds.length === 0) return new Map();
    const rows = await this.messages.find({
      where: { consultId: In(consultIds), direction: 'inbound' }, select: { id: true, consultId: true, text: true, occurredAt: true },
      order: { occurredAt: 'ASC', id: 'ASC' },
    });
    const texts = new Map<number, string>();
    for (const m of rows) if (!texts.has(m.consultId)) texts.set(m.consultId, m.text);
    return texts;
  }
}

/** The statuses a query is limited to when it filters on status and nothing else; null otherwise. */
function statusesOnly(query: ConsultListQuery): readonly ConsultStatus[] | null {
  if (query.category || query.priority || query.assigneeId !== undefined || query.sla || (!query.status && !query.openOnly)) return null;
  if (!query.status) return OPEN_STATUSES;
  return !query.openOnly || OPEN_STATUSES.includes(query.status) ? [query.status] : [];
}

/** COUNT(*) of a query without joins (not getCount()'s COUNT(DISTINCT id), which sorts every match). */
async function countRows(qb: SelectQueryBuilder<Consult>): Promise<number> {
  return Number((await qb.select('COUNT(*)', 'n').getRawOne<{ n: number | string }>())?.n ?? 0);
}
