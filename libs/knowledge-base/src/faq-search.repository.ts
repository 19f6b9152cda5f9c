import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { ftsPhrase, likePattern, normaliseForSearch, TRIGRAM_MIN } from './utils/search-text.util';

export interface SearchHit {
  entryId: number;
  /** Higher is better (bm25 negated on SQLite; term weights on PostgreSQL and for LIKE scans). */
  score: number;
}

export interface SearchQuery {
  terms: string[];
  category?: string;
  limit: number;
  offset?: number;
  /** 'all': every term must occur (a search box); 'any': at least one (suggestions from a mail). */
  mode: 'all' | 'any';
}

type Params = Record<string, string | number>;
const ESC = "ESCAPE '\\'";
/** Trigrams a short term may expand to before it is checked with LIKE instead. */
const MAX_EXPANSION = 200;
/** Appended to every indexed text on SQLite: each short term then begins a trigram. */
const SENTINEL = '  ';

/**
 * The search table (faq_search: the live text of each readable entry, normalised) and the queries
 * on it. SQLite: FTS5 trigram MATCH ranked by bm25 (question weighted 4:1); a 1–2 character term
 * matches as the trigrams that begin with it (read from the index's vocabulary), or by LIKE when it
 * begins too many. PostgreSQL: LIKE on pg_trgm GIN indexes, ranked by weights, then similarity.
 */
@Injectable()
export class FaqSearchRepository {
  constructor(private readonly dataSource: DataSource) {}

  private get sqlite(): boolean {
    return this.dataSource.options.type !== 'postgres';
  }

  /** Makes an entry's live version searchable (or refreshes it). */
  async put(em: EntityManager, row: { entryId: number; category: string; title: string; question: string; answer: string; publishedAt: Date }): Promise<void> {
    const tail = this.sqlite ? SENTINEL : '';
    await this.remove(em, row.entryId);
    await em.query(...this.sql(
      'INSERT INTO faq_search (entry_id, category, question, answer, published_at) VALUES (:id, :category, :question, :answer, :at)',
      {
        id: row.entryId, category: row.category, question: normaliseForSearch(`${row.title}\n${row.question}`) + tail,
        answer: normaliseForSearch(row.answer) + tail, at: row.publishedAt.getTime(),
      },
    ));
  }

  async remove(em: EntityManager, entryId: number): Promise<void> {
    await em.query(...this.sql('DELETE FROM faq_search WHERE entry_id = :id', { id: entryId }));
  }

  /** `em`: the caller's transaction when there is one (a second pooled connection could wait forever). */
  async search(query: SearchQuery, em: EntityManager = this.dataSource.manager): Promise<SearchHit[]> {
    const terms = query.terms.filter(Boolean);
    const params: Params = { limit: query.limit, offset: query.offset ?? 0 };
    const filters: string[] = [];
    if (query.category) {
      filters.push('s.category = :category');
      params.category = query.category;
    }
    if (terms.length === 0) {
      return this.run(em, `SELECT s.entry_id AS entry_id, 0 AS score FROM faq_search s ${where(filters)}
        ORDER BY s.published_at DESC, s.entry_id DESC LIMIT :limit OFFSET :offset`, params);
    }
    if (this.sqlite) {
      const hits = await this.searchFts(em, terms, query, params, filters);
      if (hits) return hits;
    }
    return this.scan(em, terms, query.mode, params, filters);
  }

  /** SQLite: the trigram index; null when no term can use it (a LIKE scan then). */
  private async searchFts(em: EntityManager, terms: string[], query: SearchQuery, params: Params, filters: string[]): Promise<SearchHit[] | null> {
    const parts: string[] = [];
    const unindexed: string[] = [];
    for (const term of terms) {
      if (term.length >= TRIGRAM_MIN) {
        parts.push(ftsPhrase(term));
        continue;
      }
      const grams = await this.trigramsStartingWith(em, term);
      if (grams === null) unindexed.push(term);
      else if (grams.length) parts.push(`(${grams.map(ftsPhrase).join(' OR ')})`);
      else if (query.mode === 'all') return []; // a term that occurs nowhere
    }
    if (parts.length === 0) return unindexed.length ? null : [];
    if (query.mode === 'any') unindexed.length = 0; // suggestions: the indexed terms suffice
    params.match = parts.join(query.mode === 'all' ? ' AND ' : ' OR ');
    unindexed.forEach((t, i) => {
      params[`p${i}`] = likePattern(t);
      filters.push(`(s.question LIKE :p${i} ${ESC} OR s.answer LIKE :p${i} ${ESC})`);
    });
    const narrowed = filters.length ? `AND faq_fts.rowid IN (SELECT s.entry_id FROM faq_search s WHERE ${filters.join(' AND ')})` : '';
    return this.run(em, `SELECT faq_fts.rowid AS entry_id, -bm25(faq_fts, 4.0, 1.0) AS score FROM faq_fts
      WHERE faq_fts MATCH :match ${narrowed} ORDER BY bm25(faq_fts, 4.0, 1.0), faq_fts.rowid DESC LIMIT :limit OFFSET :offset`, params);
  }

  /** The indexed trigrams that begin with a short term; null when there are too many to list. */
  private async trigramsStartingWith(em: EntityManager, term: string): Promise<string[] | null> {
    const rows = (await em.query(
      'SELECT term FROM faq_fts_terms WHERE term >= ? AND term < ? LIMIT ?', [term, `${term}\u{10ffff}`, MAX_EXPANSION + 1],
    )) as { term: string }[];
    return rows.length > MAX_EXPANSION ? null : rows.map((r) => r.term);
  }

  /** LIKE on every row (pg_trgm's GIN index serves it on PostgreSQL), weighted: question 20, counts. */
  private scan(em: EntityManager, terms: string[], mode: SearchQuery['mode'], params: Params, filters: string[]): Promise<SearchHit[]> {
    terms.forEach((t, i) => { params[`t${i}`] = t; params[`p${i}`] = likePattern(t); });
    const contains = terms.map((_t, i) => `(s.question LIKE :p${i} ${ESC} OR s.answer LIKE :p${i} ${ESC})`);
    filters.push(mode === 'all' ? contains.join(' AND ') : `(${contains.join(' OR ')})`);
    const count = (column: string, i: number) => `((LENGTH(${column}) - LENGTH(REPLACE(${column}, CAST(:t${i} AS TEXT), ''))) / LENGTH(CAST(:t${i} AS TEXT)))`;
    const weight = terms.map((_t, i) => `(CASE WHEN s.question LIKE :p${i} ${ESC} THEN 20 ELSE 0 END) + 3 * ${count('s.question', i)} + ${count('s.answer', i)}`).join(' + ');
    params.q = terms.join(' ');
    const tie = this.sqlite ? '0' : 'GREATEST(similarity(s.question, CAST(:q AS TEXT)), word_similarity(CAST(:q AS TEXT), s.answer))';
    return this.run(em, `SELECT s.entry_id AS entry_id, (${weight}) AS score, ${tie} AS tie FROM faq_search s ${where(filters)}
      ORDER BY score DESC, tie DESC, s.published_at DESC, s.entry_id DESC LIMIT :limit OFFSET :offset`, params);
  }

  private async run(em: EntityManager, sql: string, params: Params): Promise<SearchHit[]> {
    const rows = (await em.query(...this.sql(sql, params))) as { entry_id: number | string; score: number | string }[];
    return rows.map((r) => ({ entryId: Number(r.entry_id), score: Number(r.score) }));
  }

  private sql(sql: string, params: Params): [string, unknown[]] {
    return this.dataSource.driver.escapeQueryWithParameters(sql, params, {});
  }
}

const where = (filters: string[]) => (filters.length ? `WHERE ${filters.join(' AND ')}` : '');
