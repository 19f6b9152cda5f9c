import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { ftsPhrase, likePattern, normaliseForSearch, TRIGRAM_MIN } from './utils/search-text.util';

export interface SearchHit {
  entryId: number;
  /** Higher is better (bm25 negated on SQLite; term weights on PostgreSQL, for LIKE scans and for 1–2 character terms alone). */
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
 * Every trigram occurrence of the index (term, doc, col, offset), per connection: a range of terms
 * read in one pass gives the entries holding a 1–2 character term and how often, in each column.
 */
const INSTANCES = 'temp.faq_fts_instances';
/** The scan's weights (see scan): 20 when the term is in the question, 3 per occurrence there, 1 in the answer. */
const shortTermWeight = "(CASE WHEN SUM(col = 'question') > 0 THEN 20 ELSE 0 END) + 3 * SUM(col = 'question') + SUM(col <> 'question')";

/**
 * The search table (faq_search: the live text of each readable entry, normalised) and the queries
 * on it. SQLite: FTS5 trigram MATCH ranked by bm25 (question weighted 4:1). A 1–2 character term
 * matches as the trigrams that begin with it: in a search (every term required), read as one range
 * of the index's instances and ranked by the scan's weights when the query has only short terms,
 * else looked up in the text the longer terms matched; in suggestions, expanded to those trigrams
 * (from the index's vocabulary) while there are few. PostgreSQL: LIKE on pg_trgm GIN indexes, ranked
 * by weights, then similarity. (Rowid filters on the FTS table are written `+faq_fts.rowid IN (…)`:
 * without the `+`, SQLite runs the whole MATCH again for every rowid of the list.)
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

  /**
   * SQLite: the trigram index. Suggestions (any term): the long terms, and each short term as the
   * trigrams that begin with it while there are few; null when no term can use it (a LIKE scan then).
   */
  private async searchFts(em: EntityManager, terms: string[], query: SearchQuery, params: Params, filters: string[]): Promise<SearchHit[] | null> {
    if (query.mode === 'all') return this.searchAllFts(em, terms, params, filters);
    const parts: string[] = [];
    let unindexed = false;
    for (const term of terms) {
      if (term.length >= TRIGRAM_MIN) {
        parts.push(ftsPhrase(term));
        continue;
      }
      const grams = await this.trigramsStartingWith(em, term);
      if (grams === null) unindexed = true;
      else if (grams.length) parts.push(`(${grams.map(ftsPhrase).join(' OR ')})`);
    }
    if (parts.length === 0) return unindexed ? null : [];
    params.match = parts.join(' OR '); // suggestions: the indexed terms suffice
    const narrowed = filters.length ? `AND +faq_fts.rowid IN (SELECT s.entry_id FROM faq_search s WHERE ${filters.join(' AND ')})` : '';
    return this.run(em, `SELECT faq_fts.rowid AS entry_id, -bm25(faq_fts, 4.0, 1.0) AS score FROM faq_fts
      WHERE faq_fts MATCH :match ${narrowed} ORDER BY bm25(faq_fts, 4.0, 1.0), faq_fts.rowid DESC LIMIT :limit OFFSET :offset`, params);
  }

  /**
   * SQLite, every term required. With long terms: MATCH, ranked by bm25, the short terms looked up in
   * the text of those matches. Short terms alone: the entries where some trigram begins with each
   * (one range of the instances, however many trigrams that is), ranked by the scan's weights summed
   * over the terms, the newest entry first on ties.
   */
  private async searchAllFts(em: EntityManager, terms: string[], params: Params, filters: string[]): Promise<SearchHit[]> {
    const long = terms.filter((t) => t.length >= TRIGRAM_MIN);
    const short = terms.filter((t) => t.length < TRIGRAM_MIN);
    const range = (i: number) => {
      params[`s${i}`] = short[i];
      params[`e${i}`] = `${short[i]}\u{10ffff}`;
      return `term >= :s${i} AND term < :e${i}`;
    };
    const category = filters.length ? `SELECT s.entry_id FROM faq_search s WHERE ${filters.join(' AND ')}` : null;
    if (long.length) {
      // Each short term looked up in the text of the long terms' matches only, whatever its own
      // frequency (instr: the text is normalised as the terms are, so it finds what LIKE would).
      short.forEach((t, i) => { params[`s${i}`] = t; });
      const contains = short.map((_t, i) => `(instr(s.question, :s${i}) > 0 OR instr(s.answer, :s${i}) > 0)`);
      params.match = long.map(ftsPhrase).join(' AND ');
      const narrowed = [
        ...(category ? [`AND +faq_fts.rowid IN (${category})`] : []),
        ...(contains.length ? [`AND EXISTS (SELECT 1 FROM faq_search s WHERE s.entry_id = faq_fts.rowid AND ${contains.join(' AND ')})`] : []),
      ].join(' ');
      return this.run(em, `SELECT faq_fts.rowid AS entry_id, -bm25(faq_fts, 4.0, 1.0) AS score FROM faq_fts
        WHERE faq_fts MATCH :match ${narrowed} ORDER BY bm25(faq_fts, 4.0, 1.0), faq_fts.rowid DESC LIMIT :limit OFFSET :offset`, params);
    }
    await em.query(`CREATE VIRTUAL TABLE IF NOT EXISTS ${INSTANCES} USING fts5vocab(main, faq_fts, instance)`);
    const perTerm = short.map((_t, i) => `SELECT ${i} AS k, doc, ${shortTermWeight} AS w FROM ${INSTANCES} WHERE ${range(i)} GROUP BY doc`);
    params.terms = short.length;
    return this.run(em, `SELECT doc AS entry_id, SUM(w) AS score FROM (${perTerm.join(' UNION ALL ')})
      ${category ? `WHERE +doc IN (${category})` : ''} GROUP BY doc HAVING COUNT(*) = :terms ORDER BY score DESC, doc DESC LIMIT :limit OFFSET :offset`, params);
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
