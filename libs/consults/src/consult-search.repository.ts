import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { likePattern, SearchFilter, SearchHit, TrigramSearch } from '@kkd/core';

/** One consult's row of the search table (texts already masked; normalised by the caller). */
export interface ConsultSearchRow {
  consultId: number;
  /** normaliseForSearch of the masked subject. */
  subject: string;
  /** normaliseForSearch of the masked messages. */
  body: string;
  /** The masked subject as written (highlighted). */
  heading: string;
  /** The masked messages as written (snippets are cut from it). */
  excerpt: string;
  /** Merges seen while the row was built and not in it: the row stays stale by that many. */
  stale: number;
}

const WATERMARK = 'consult_messages';
/** Above this many matches, subject matches come first and then the rest, newest first (bm25 below). */
const TIERED_ABOVE = 1000;
/** Rows written per INSERT statement. */
const INSERT_CHUNK = 50;

/**
 * The consult search table (consult_search, see its migration) on the FAQ's engine: subject
 * weighted 8:1 over the body on SQLite's bm25, or, for more than TIERED_ABOVE matches, subject
 * matches first, each tier newest first; on PostgreSQL the engine's weights (subject 20).
 */
@Injectable()
export class ConsultSearchRepository {
  readonly engine: TrigramSearch;

  constructor(private readonly dataSource: DataSource) {
    this.engine = new TrigramSearch(dataSource, {
      table: 'consult_search', key: 'consult_id', fts: 'consult_fts', vocab: 'consult_fts_terms', columns: ['subject', 'body'], weights: [8, 1], tieredAbove: TIERED_ABOVE,
    });
  }

  /** A page of the best matches (every term required) and how many there are. */
  search(terms: string[], filter: SearchFilter | undefined, exclude: number[], limit: number, offset: number): Promise<{ hits: SearchHit[]; total: number }> {
    return this.engine.searchCounted({ terms, filter, exclude, limit, offset });
  }

  /**
   * A condition on a consult alias: its member is one membersNamed finds. The members table is
   * small; consults are found by their member_id index. Parameters are named `mb_*` and `id_*`.
   */
  memberCondition(terms: string[], identity: string[], alias: string): { where: string; params: Record<string, unknown> } {
    const named = this.membersWhere(terms, identity);
    return { where: `${alias}.member_id IN (SELECT mm.id FROM members mm WHERE ${named.where})`, params: named.params };
  }

  /**
   * Whether the terms name any member (memberCondition): checked first, so that a query naming
   * none costs no scan of consults (PostgreSQL may otherwise read them newest first looking for one).
   */
  async namesMember(terms: string[], identity: string[]): Promise<boolean> {
    const named = this.membersWhere(terms, identity);
    return (await this.dataSource.query(...this.engine.sql(`SELECT 1 AS one FROM members mm WHERE ${named.where} LIMIT 1`, named.params)) as unknown[]).length > 0;
  }

  /**
   * Members (alias `mm`) the terms name as the queue shows them (`さくら CST-00456`, which experts
   * may see too): every term is the club ID (any case) or the nickname, or, from 2 characters, part
   * of the nickname. With identityTerms (for viewers who may see identity only: the index itself
   * stays masked), also members whose company, department, contact name or one of its addresses
   * holds each of them (members.identity_search holds those fields folded as identityTerms folds
   * the query: any width, any case, ㈱ as 株式会社).
   */
  private membersWhere(terms: string[], identity: string[]): { where: string; params: Record<string, unknown> } {
    const params: Record<string, unknown> = {};
    const named = terms.map((t, i) => {
      Object.assign(params, { [`mb_t${i}`]: t, [`mb_p${i}`]: likePattern(t) });
      // Terms are normalised (NFKC, lower case); club IDs are ASCII.
      const exact = `LOWER(mm.club_id) = :mb_t${i} OR LOWER(mm.nickname) = :mb_t${i}`;
      return t.length >= 2 ? `(${exact} OR LOWER(mm.nickname) LIKE :mb_p${i} ESCAPE '\\')` : `(${exact})`;
    });
    const byIdentity = identity.map((t, i) => {
      params[`id_t${i}`] = likePattern(t);
      return `mm.identity_search LIKE :id_t${i} ESCAPE '\\'`;
    });
    const where = `(${named.join(' AND ')})`;
    return { where: byIdentity.length ? `(${where} OR (${byIdentity.join(' AND ')}))` : where, params };
  }

  /**
   * A page of the consults a member condition (memberCondition on `ic`) finds, newest first,
   * leaving out those `excluded` lists (a condition on `ic.id`: the text matches, listed before
   * them), and how many there are.
   */
  async memberMatches(
    byMember: { where: string; params: Record<string, unknown> }, filter: Extract<SearchFilter, { allows: unknown }> | undefined,
    excluded: { where: string; params: Record<string, unknown> }, limit: number, offset: number,
  ): Promise<{ ids: number[]; total: number }> {
    const where = [byMember.where, `NOT (${excluded.where})`, ...(filter ? [filter.allows('ic.id')] : [])].join(' AND ');
    const params = { ...filter?.params, ...excluded.params, ...byMember.params, limit, offset };
    const [rows, counted] = await Promise.all([
      limit > 0
        ? this.dataSource.query(...this.engine.sql(`SELECT ic.id FROM consults ic WHERE ${where} ORDER BY ic.received_at DESC, ic.id DESC LIMIT :limit OFFSET :offset`, params)) as Promise<{ id: number | string }[]>
        : Promise.resolve([]),
      this.dataSource.query(...this.engine.sql(`SELECT COUNT(*) AS n FROM consults ic WHERE ${where}`, params)) as Promise<{ n: number | string }[]>,
    ]);
    return { ids: rows.map((r) => Number(r.id)), total: Number(counted[0]?.n ?? 0) };
  }

  /** The masked subject and messages of these consults as written, by consult id (indexed ones only). */
  async excerpts(consultIds: number[]): Promise<Map<number, { heading: string; excerpt: string }>> {
    if (consultIds.length === 0) return new Map();
    const rows = (await this.dataSource.query(...this.engine.sql(
      "SELECT consult_id, heading, excerpt FROM consult_search WHERE consult_id IN (:...ids) AND heading <> ''", { ids: consultIds },
    ))) as { consult_id: number | string; heading: string; excerpt: string }[];
    return new Map(rows.map((r) => [Number(r.consult_id), { heading: r.heading, excerpt: r.excerpt }]));
  }

  /** The last message id indexed. */
  async watermark(em: EntityManager = this.dataSource.manager): Promise<number> {
    const rows = (await em.query(...this.engine.sql('SELECT last_id FROM search_watermarks WHERE name = :name', { name: WATERMARK }))) as { last_id: number | string }[];
    return Number(rows[0]?.last_id ?? 0);
  }

  /** Consults a merge marked for a rebuild, with their mark (a count of merges not yet indexed). */
  async staleConsults(limit: number, em: EntityManager = this.dataSource.manager): Promise<Map<number, number>> {
    const rows = (await em.query(...this.engine.sql(
      'SELECT consult_id, stale FROM consult_search WHERE stale > 0 ORDER BY consult_id LIMIT :limit', { limit },
    ))) as { consult_id: number | string; stale: number | string }[];
    return new Map(rows.map((r) => [Number(r.consult_id), Number(r.stale)]));
  }

  /** The marks of these consults now (absent: no row yet). */
  async staleMarks(consultIds: number[], em: EntityManager): Promise<Map<number, number>> {
    if (consultIds.length === 0) return new Map();
    const rows = (await em.query(...this.engine.sql(
      'SELECT consult_id, stale FROM consult_search WHERE consult_id IN (:...ids)', { ids: consultIds },
    ))) as { consult_id: number | string; stale: number | string }[];
    return new Map(rows.map((r) => [Number(r.consult_id), Number(r.stale)]));
  }

  /**
   * Marks consults for a rebuild (in the merge's transaction). A consult not yet indexed gets an
   * empty marked row, so that an indexer that read it before the merge does not leave it as it was.
   */
  async markStale(em: EntityManager, consultIds: number[], at: Date): Promise<void> {
    await em.query(...this.engine.sql('UPDATE consult_search SET stale = stale + 1 WHERE consult_id IN (:...ids)', { ids: consultIds }));
    const present = await this.staleMarks(consultIds, em);
    for (const id of consultIds.filter((c) => !present.has(c))) {
      await em.query(...this.engine.sql(
        "INSERT INTO consult_search (consult_id, subject, body, heading, excerpt, stale, indexed_at) VALUES (:id, '', '', '', '', 1, :at)", { id, at: at.getTime() },
      ));
    }
  }

  /**
   * Marks a member's consults for a rebuild after their identity details changed, and withdraws
   * the texts masked with the old details meanwhile (they may show the new ones unmasked): until
   * the next indexer pass those consults are found by number only. Like markStale, a consult not
   * yet indexed gets an empty marked row, so an indexer pass already under way does not keep its build.
   */
  async markMemberStale(em: EntityManager, memberId: number, at: Date): Promise<void> {
    const ofMember = 'SELECT c.id FROM consults c WHERE c.member_id = :memberId';
    await em.query(...this.engine.sql(
      `UPDATE consult_search SET subject = '', body = '', heading = '', excerpt = '', stale = stale + 1 WHERE consult_id IN (${ofMember})`, { memberId },
    ));
    await em.query(...this.engine.sql(
      `INSERT INTO consult_search (consult_id, subject, body, heading, excerpt, stale, indexed_at)
       SELECT c.id, '', '', '', '', 1, :at FROM consults c WHERE c.member_id = :memberId AND NOT EXISTS (SELECT 1 FROM consult_search s WHERE s.consult_id = c.id)`,
      { memberId, at: at.getTime() },
    ));
  }

  /** Replaces the rows of these consults (none for a consult gone) and moves the watermark, in the caller's transaction. */
  async write(em: EntityManager, consultIds: number[], rows: ConsultSearchRow[], watermark: number, at: Date): Promise<void> {
    if (consultIds.length) await em.query(...this.engine.sql('DELETE FROM consult_search WHERE consult_id IN (:...ids)', { ids: consultIds }));
    for (let i = 0; i < rows.length; i += INSERT_CHUNK) {
      const chunk = rows.slice(i, i + INSERT_CHUNK);
      const params: Record<string, string | number> = { at: at.getTime() };
      const values = chunk.map((r, j) => {
        Object.assign(params, {
          [`id${j}`]: r.consultId, [`s${j}`]: this.engine.stored(r.subject), [`b${j}`]: this.engine.stored(r.body), [`h${j}`]: r.heading, [`x${j}`]: r.excerpt, [`k${j}`]: r.stale,
        });
        return `(:id${j}, :s${j}, :b${j}, :h${j}, :x${j}, :k${j}, :at)`;
      });
      await em.query(...this.engine.sql(`INSERT INTO consult_search (consult_id, subject, body, heading, excerpt, stale, indexed_at) VALUES ${values.join(', ')}`, params));
    }
    const params = { name: WATERMARK, id: watermark };
    const updated = (await em.createQueryBuilder().update('search_watermarks').set({ last_id: watermark }).where('name = :name', params).execute()).affected ?? 0;
    if (updated === 0) await em.query(...this.engine.sql('INSERT INTO search_watermarks (name, last_id) VALUES (:name, :id)', params));
  }
}
