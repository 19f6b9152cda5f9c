import { Injectable, Logger } from '@nestjs/common';
import fs from 'fs/promises';
import { EntityManager, In } from 'typeorm';
import { AuditService } from '@kkd/audit';
import { Attachment, Consult, Message } from '@kkd/consults';
import { AppConfig, Clock, TransactionRunner } from '@kkd/core';
import { MailStore } from './mail-store';

const DAY_MS = 86_400_000;
/** Consults per transaction: bounds the rows locked and the paths checked at once. */
const BATCH = 100;
/** Ids per UPDATE … IN (…): well under SQLite's bound-parameter limit. */
const CHUNK = 500;

export interface RetentionResult {
  /** Consults whose files passed the period in this run. */
  consults: number;
  /** Attachment rows and raw sources marked as deleted. */
  attachments: number;
  rawSources: number;
  /** Files removed from DATA_DIR, and distinct files left because other data still names them. */
  filesDeleted: number;
  filesKept: number;
}

const NOTHING: RetentionResult = { consults: 0, attachments: 0, rawSources: 0, filesDeleted: 0, filesKept: 0 };

/**
 * The retention period (RETENTION_DAYS, PRODUCT.md art. 37): the attachments and raw mail of a
 * consult closed (完了) longer ago than the period are deleted. The consult, its messages' text,
 * SLA and usage figures stay; held mail is never touched. Idempotent: a second run finds nothing.
 *
 * "Closed longer ago" reads the consult's updated_at: set when it was closed and by every change
 * since, so it is never earlier than the close. A member's mail reopens the consult (and moves
 * updated_at), so its files stay.
 *
 * Rows are marked first, in a transaction that re-reads each consult under lock; files go after
 * the commit, each only when no row still names it: attachments are content-addressed (the same
 * bytes from a newer consult, or sent back in a reply, share the file) and an attached held mail
 * shares its raw source with the message it became. A crash between the two leaves a file on disk,
 * never a link to a missing file.
 */
@Injectable()
export class RetentionService {
  private readonly logger = new Logger(RetentionService.name);
  /** Deleted by this process since start, for /metrics. */
  readonly totals = new Map<'attachment' | 'raw_source' | 'file', number>();

  constructor(
    private readonly config: AppConfig,
    private readonly store: MailStore,
    private readonly audit: AuditService,
    private readonly tx: TransactionRunner,
    private readonly clock: Clock,
  ) {}

  get enabled(): boolean {
    return this.config.RETENTION_DAYS > 0;
  }

  /** Deletes what has passed the period; nothing at all with RETENTION_DAYS=0. */
  async purge(): Promise<RetentionResult> {
    if (!this.enabled) return { ...NOTHING };
    const now = this.clock.now();
    const cutoff = new Date(now.getTime() - this.config.RETENTION_DAYS * DAY_MS);
    const result = { ...NOTHING };
    // A shared file is seen again by later batches: counted once, as kept only if it stays at the end.
    const kept = new Set<string>();
    try {
      for (let after = 0; ;) {
        const ids = await this.expiredConsults(cutoff, after);
        if (ids.length === 0) break;
        after = ids[ids.length - 1];
        const marked = await this.tx.run((em) => this.mark(em, ids, cutoff, now));
        const files = await this.removeUnnamed([...marked.attachments.map((a) => a.path), ...marked.raws.map((r) => r.path)]);
        result.consults += marked.consults;
        result.attachments += marked.attachments.length;
        result.rawSources += marked.raws.length;
        result.filesDeleted += files.deleted.length;
        for (const path of files.kept) kept.add(path);
        for (const path of files.deleted) kept.delete(path);
        result.filesKept = kept.size;
      }
    } finally {
      // Batches already committed are reported even when a later one fails.
      if (result.consults > 0) await this.report(result, now, cutoff);
    }
    return result;
  }

  private async report(result: RetentionResult, now: Date, cutoff: Date): Promise<void> {
    this.add('attachment', result.attachments);
    this.add('raw_source', result.rawSources);
    this.add('file', result.filesDeleted);
    this.logger.log(`retention (${this.config.RETENTION_DAYS} days): ${result.consults} consult(s), ${result.attachments} attachment(s) and ${result.rawSources} raw source(s) deleted; files ${result.filesDeleted} removed, ${result.filesKept} kept as still in use`);
    await this.audit.record(null, {
      actor: null, action: 'retention.deleted', target: { type: 'retention', label: `${this.config.RETENTION_DAYS}日` }, at: now,
      details: { ...result, closedBefore: cutoff.toISOString() },
    });
  }

  /** Closed consults past the cutoff that still have something to delete, by id from `after` on. */
  private async expiredConsults(cutoff: Date, after: number): Promise<number[]> {
    const rows = await this.tx.readManager.getRepository(Consult).createQueryBuilder('c').select('c.id', 'id')
      .where("c.status = 'closed' AND c.updated_at < :cutoff AND c.id > :after", { cutoff: cutoff.getTime(), after })
      .andWhere(`(EXISTS (SELECT 1 FROM messages m JOIN attachments a ON a.message_id = m.id WHERE m.consult_id = c.id AND a.deleted_at IS NULL)
        OR EXISTS (SELECT 1 FROM messages m WHERE m.consult_id = c.id AND m.raw_path IS NOT NULL AND m.raw_path <> '' AND m.raw_deleted_at IS NULL))`)
      .orderBy('c.id').limit(BATCH).getRawMany<{ id: number | string }>();
    return rows.map((r) => Number(r.id));
  }

  /** Marks the files of the consults still closed past the cutoff (re-read under lock: a member's mail may have reopened one). */
  private async mark(em: EntityManager, ids: number[], cutoff: Date, now: Date) {
    const query = em.getRepository(Consult).createQueryBuilder('c').select('c.id', 'id')
      .where('c.id IN (:...ids)', { ids }).andWhere("c.status = 'closed' AND c.updated_at < :cutoff", { cutoff: cutoff.getTime() });
    if (em.connection.options.type === 'postgres') query.setLock('pessimistic_write');
    const still = (await query.getRawMany<{ id: number | string }>()).map((r) => Number(r.id));
    if (still.length === 0) return { consults: 0, attachments: [], raws: [] };
    const attachments = await em.getRepository(Attachment).createQueryBuilder('a').select('a.id', 'id').addSelect('a.storage_path', 'path')
      .innerJoin(Message, 'm', 'm.id = a.message_id').where('m.consult_id IN (:...still)', { still }).andWhere('a.deleted_at IS NULL')
      .getRawMany<{ id: number; path: string }>();
    const raws = await em.getRepository(Message).createQueryBuilder('m').select('m.id', 'id').addSelect('m.raw_path', 'path')
      .where('m.consult_id IN (:...still)', { still }).andWhere("m.raw_path IS NOT NULL AND m.raw_path <> '' AND m.raw_deleted_at IS NULL")
      .getRawMany<{ id: number; path: string }>();
    for (let i = 0; i < attachments.length; i += CHUNK) {
      await em.getRepository(Attachment).update({ id: In(attachments.slice(i, i + CHUNK).map((a) => a.id)) }, { deletedAt: now });
    }
    for (let i = 0; i < raws.length; i += CHUNK) {
      await em.getRepository(Message).update({ id: In(raws.slice(i, i + CHUNK).map((r) => r.id)) }, { rawDeletedAt: now });
    }
    return { consults: still.length, attachments, raws };
  }

  /**
   * Removes each file no row names any more. A file is first moved aside, the references read
   * again, and only then removed (or put back): mail taken in meanwhile that carries the same
   * bytes and was committed in between keeps its file.
   */
  private async removeUnnamed(paths: string[]): Promise<{ deleted: string[]; kept: string[] }> {
    const unique = [...new Set(paths)];
    if (unique.length === 0) return { deleted: [], kept: [] };
    const named = await this.stillNamed(unique);
    const aside: { path: string; full: string; moved: string }[] = [];
    for (const path of unique.filter((p) => !named.has(p))) {
      try {
        const full = this.store.absolute(path);
        const moved = `${full}.expired`;
        if (await rename(full, moved)) aside.push({ path, full, moved });
      } catch (err) {
        // One unreadable or foreign path must not stop the rest; its row is marked all the same.
        this.logger.warn(`retention: could not delete ${path}: ${err instanceof Error ? err.message : String(err)}`);
      }
    }
    const namedNow = await this.stillNamed(aside.map((a) => a.path));
    const deleted: string[] = [];
    const kept = [...named];
    for (const a of aside) {
      if (!namedNow.has(a.path) && !(await touchedLately(a.moved))) {
        await fs.rm(a.moved, { force: true });
        deleted.push(a.path);
        continue;
      }
      // The intake may have written the same bytes under the name again: then ours is a spare.
      if (await exists(a.full)) await fs.rm(a.moved, { force: true });
      else await rename(a.moved, a.full);
      kept.push(a.path);
    }
    return { deleted, kept };
  }

  /** The paths some row still names: a live attachment, a reply's file, a message's raw source not deleted, any held mail. */
  private async stillNamed(paths: string[]): Promise<Set<string>> {
    const named = new Set<string>();
    const em = this.tx.readManager;
    for (let i = 0; i < paths.length; i += CHUNK) {
      const chunk = paths.slice(i, i + CHUNK);
      const queries: [string, string, string][] = [
        ['attachments', 'storage_path', 'deleted_at IS NULL'],
        ['outbound_attachments', 'storage_path', '1 = 1'],
        ['messages', 'raw_path', 'raw_deleted_at IS NULL'],
        ['held_mails', 'raw_path', '1 = 1'],
      ];
      for (const [table, column, live] of queries) {
        const rows = await em.createQueryBuilder().select(`t.${column}`, 'path').from(table, 't')
          .where(`t.${column} IN (:...chunk)`, { chunk }).andWhere(live).getRawMany<{ path: string }>();
        for (const r of rows) named.add(r.path);
      }
    }
    return named;
  }

  private add(key: 'attachment' | 'raw_source' | 'file', n: number): void {
    this.totals.set(key, (this.totals.get(key) ?? 0) + n);
  }
}

/** False when there was nothing to move (already gone: a run that stopped half-way, or removed by hand). */
async function rename(from: string, to: string): Promise<boolean> {
  try {
    await fs.rename(from, to);
    return true;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return false;
    throw err;
  }
}

/**
 * Whether the intake touched the file lately (DataFiles.saveContent touches a copy it reuses): a
 * mail carrying the same bytes may be about to commit a row naming it. File times are real time.
 */
function touchedLately(file: string): Promise<boolean> {
  return fs.stat(file).then((s) => s.mtimeMs > Date.now() - 3600_000, () => false);
}

function exists(file: string): Promise<boolean> {
  return fs.stat(file).then(() => true, () => false);
}
