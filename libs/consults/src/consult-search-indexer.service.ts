import { Injectable, OnModuleInit } from '@nestjs/common';
import { In } from 'typeorm';
import { Clock, DomainEvents, normaliseForSearch, TransactionRunner } from '@kkd/core';
import { IdentityMaskService } from '@kkd/membership';
import { ConsultSearchRepository, ConsultSearchRow } from './consult-search.repository';
import { Consult } from './entities/consult.entity';
import { Message } from './entities/message.entity';
import { nextWatermark } from './utils/search-watermark.util';

/** Messages read per batch (each batch rebuilds their consults in one short transaction). */
const BATCH = 300;
/** Consults marked by merges rebuilt per batch. */
const STALE_BATCH = 100;
/** A hole in the message ids younger than this may still be filled by a commit; older, it never will. */
const GAP_GRACE_MS = 60_000;
/** Text indexed per message, and per consult: a pasted log does not bloat the index. */
const MAX_MESSAGE_CHARS = 20_000;
const MAX_CONSULT_CHARS = 200_000;
/** Text kept as written for snippets. */
const MAX_EXCERPT_CHARS = 20_000;

export interface CatchUpResult {
  consults: number;
  watermark: number;
  /** False when the time budget ran out first. */
  caughtUp: boolean;
}

/**
 * Keeps consult_search up to date off the intake's path: each run indexes the messages above the
 * watermark (the last message id indexed), batch after batch, and the consults marked by merges
 * and by changes of a member's identity details, rebuilding each consult it touches from all its
 * messages with the member's identity masked (experts search it). On first run the watermark is
 * 0: existing consults are backfilled. A consult's text is searchable a tick after its mail is
 * stored (the job runs every 2 s).
 */
@Injectable()
export class ConsultSearchIndexer implements OnModuleInit {
  constructor(
    private readonly repo: ConsultSearchRepository,
    private readonly tx: TransactionRunner,
    private readonly masks: IdentityMaskService,
    private readonly events: DomainEvents,
    private readonly clock: Clock,
  ) {}

  onModuleInit(): void {
    this.events.on('consult.merged', 'consult-search', (em, { sourceId, targetId }) => this.repo.markStale(em, [sourceId, targetId], this.clock.now()));
    // The member's texts were masked with their old details: masked again with the new ones.
    this.events.on('member.identity_changed', 'consult-search', (em, { memberId }) => this.repo.markMemberStale(em, memberId, this.clock.now()));
  }

  /** Batches until nothing is left or `budgetMs` has passed; safe to run again (idempotent). */
  async catchUp(budgetMs = Number.POSITIVE_INFINITY): Promise<CatchUpResult> {
    const started = Date.now();
    let consults = 0;
    for (;;) {
      const batch = await this.batch();
      consults += batch.consults;
      if (batch.done) return { consults, watermark: batch.watermark, caughtUp: true };
      if (Date.now() - started >= budgetMs) return { consults, watermark: batch.watermark, caughtUp: false };
    }
  }

  /** One batch: read and mask outside any transaction, then replace the rows and move the watermark. */
  private async batch(): Promise<{ consults: number; watermark: number; done: boolean }> {
    const read = this.tx.readManager;
    const from = await this.repo.watermark(read);
    const messages = await read.getRepository(Message).createQueryBuilder('m').select(['m.id', 'm.consultId', 'm.createdAt'])
      .where('m.id > :from', { from }).orderBy('m.id', 'ASC').limit(BATCH).getMany();
    const stale = await this.repo.staleConsults(STALE_BATCH, read);
    const ids = [...new Set([...messages.map((m) => m.consultId), ...stale.keys()])];
    const watermark = nextWatermark(from, messages, this.clock.now(), GAP_GRACE_MS);
    if (ids.length === 0) return { consults: 0, watermark: from, done: true };
    const marksAtRead = await this.repo.staleMarks(ids, read);
    const rows = await this.build(ids);
    await this.tx.run(async (em) => {
      const marksNow = await this.repo.staleMarks(ids, em);
      for (const row of rows) row.stale = Math.max(0, (marksNow.get(row.consultId) ?? 0) - (marksAtRead.get(row.consultId) ?? 0));
      await this.repo.write(em, ids, rows, watermark, this.clock.now());
    });
    // Done when nothing more is waiting, or when only messages behind a hole that may still fill
    // are (the next run retries them instead of this one spinning).
    const more = messages.length === BATCH || stale.size === STALE_BATCH;
    return { consults: rows.length, watermark, done: !more || (watermark === from && stale.size === 0) };
  }

  /** Each consult's row from its subject and all its messages, masked for its member. */
  private async build(consultIds: number[]): Promise<ConsultSearchRow[]> {
    const read = this.tx.readManager;
    const consults = await read.getRepository(Consult).find({ where: { id: In(consultIds) }, select: { id: true, memberId: true, subject: true } });
    const messages = await read.getRepository(Message).find({
      where: { consultId: In(consultIds) }, select: { id: true, consultId: true, text: true }, order: { consultId: 'ASC', occurredAt: 'ASC', id: 'ASC' },
    });
    const texts = new Map<number, string[]>();
    for (const m of messages) texts.set(m.consultId, [...(texts.get(m.consultId) ?? []), m.text.slice(0, MAX_MESSAGE_CHARS)]);
    const maskers = new Map<number, (text: string) => string>();
    const rows: ConsultSearchRow[] = [];
    for (const c of consults) {
      if (!maskers.has(c.memberId)) maskers.set(c.memberId, await this.masks.maskerFor(c.memberId, read));
      const mask = maskers.get(c.memberId) as (text: string) => string;
      const body = (texts.get(c.id) ?? []).map((t) => mask(t)).join('\n').slice(0, MAX_CONSULT_CHARS);
      const heading = mask(c.subject);
      rows.push({ consultId: c.id, subject: normaliseForSearch(heading), body: normaliseForSearch(body), heading, excerpt: body.slice(0, MAX_EXCERPT_CHARS), stale: 0 });
    }
    return rows;
  }
}
