import { DataSource, EntityManager } from 'typeorm';
import { ftsPhrase, likePattern, TRIGRAM_MIN } from './search-text.util';

export interface SearchHit {
  /** The searched row's key (an FAQ entry id, a consult id). */
  key: number;
  /** Higher is better (bm25 negated on SQLite; term weights on PostgreSQL, for LIKE scans and for 1–2 character terms alone). */
  score: number;
}

type Params = Record<string, unknown>;

/**
 * Narrows a search, with its named parameters: a condition on the search table (alias `s`), e.g.
 * `s.category = :category`; or a condition on a key expression, e.g. for a consult id
 * `(key) => EXISTS (SELECT 1 FROM consults c WHERE c.id = ${key} AND c.status = :status)` (checked
 * per match, so a page read newest first stops early).
 */
export type SearchFilter = { where: string; params: Params } | { allows: (key: string) => string; params: Params };

/** A filter as the queries use it: a condition on `s`, and one on any key expression. */
interface Narrowing {
  cond: string;
  on(key: string): string;
}

export interface TrigramQuery {
  /** Normalised terms (searchTerms). */
  terms: string[];
  /** 'all': every term must occur (a search box); 'any': at least one (suggestions from a mail). */
  mode: 'all' | 'any';
  filter?: SearchFilter;
  /** Keys left out (a few: those a caller lists apart). */
  exclude?: number[];
  limit: number;
  offset?: number;
}

/**
 * One search table and its indexes: every searched column holds text normalised by
 * normaliseForSearch (on SQLite followed by SEARCH_SENTINEL). SQLite: an FTS5 trigram table over
 * it (external content, rowid = key) and an fts5vocab 'row' table of that; PostgreSQL: a pg_trgm
 * GIN index per column.
 */
export interface TrigramIndexDefinition {
  table: string;
  /** Integer key column: the FTS table's rowid. */
  key: string;
  fts: string;
  /** fts5vocab(fts, 'row'). */
  vocab: string;
  /** The heading column first (a title, a subject): weighted above the others. */
  columns: [string, ...string[]];
  /** bm25 weight of each column, in the same order. */
  weights: number[];
  /** Newest first among equals (and without terms): this column, then the key. */
  newest?: string;
  /**
   * SQLite, every term required: above this many matches, rank the rows whose heading holds every
   * term first, then the others, each newest (highest key) first, instead of bm25 (which scores
   * every match: tens of milliseconds for tens of thousands). 1–2 character terms then match as the
   * trigrams that begin with them, inside the FTS query (in `matching` too). Unset: always bm25 (the FAQ).
   */
  tieredAbove?: number;
}

/** Appended to every indexed text on SQLite: each 1–2 character term then begins a trigram. */
export const SEARCH_SENTINEL = '  ';

const ESC = "ESCAPE '\\'";
/** Trigrams a short term may expand to before it is checked with LIKE instead. */
const MAX_EXPANSION = 200;

/**
 * The FAQ's and the consults' search engine on a table described by a TrigramIndexDefinition.
 * SQLite: FTS5 trigram MATCH ranked by bm25. A 1–2 character term matches as the trigrams that
 * begin with it: in a search (every term required), read as one range of the index's instances
 * (every trigram occurrence: term, doc, col, offset) and ranked by the scan's weights when the query
 * has only short terms, else looked up in the text the longer terms matched; in suggestions,
 * expanded to those trigrams (from the index's vocabulary) while there are few. PostgreSQL: LIKE on
 * pg_trgm GIN indexes, ranked by weights (heading 20 when it holds the term, 3 per occurrence there,
 * 1 per occurrence elsewhere), then similarity. (Rowid filters on the FTS table are written
 * `+fts.rowid IN (…)`: without the `+`, SQLite runs the whole MATCH again for every rowid of the list.)
 */
export class TrigramSearch {
  private readonly instances: string;
  private readonly heading: string;
  private readonly others: string[];

  constructor(private readonly dataSource: DataSource, private readonly def: TrigramIndexDefinition) {
    this.instances = `temp.${def.fts}_instances`;
    [this.heading, ...this.others] = def.columns;
  }

  get sqlite(): boolean {
    return this.dataSource.options.type !== 'postgres';
  }

  /** Text as stored in a searched column (already normalised). */
  stored(normalised: string): string {
    return this.sqlite ? normalised + SEARCH_SENTINEL : normalised;
  }

  /** The best rows first; without terms, the newest. `em`: the caller's transaction when there is one. */
  async search(query: TrigramQuery, em: EntityManager = this.dataSource.manager): Promise<SearchHit[]> {
    const { table, key } = this.def;
    const terms = query.terms.filter(Boolean);
    const params: Params = { ...query.filter?.params, exclude: query.exclude ?? [], limit: query.limit, offset: query.offset ?? 0 };
    const narrowing = this.narrowing(query.filter, query.exclude);
    if (terms.length === 0) {
      return this.run(em, `SELECT s.${key} AS hit_key, 0 AS score FROM ${table} s ${narrowing ? `WHERE ${narrowing.cond}` : ''}
        ORDER BY ${this.newestOrder('s')} LIMIT :limit OFFSET :offset`, params);
    }
    if (this.sqlite) {
      const ranked = query.mode === 'all' ? await this.rankedAll(em, terms, params, narrowing) : await this.rankedAny(em, terms, params, narrowing);
      if (ranked) return this.run(em, `${ranked} LIMIT :limit OFFSET :offset`, params);
    }
    return this.run(em, `${this.scan(terms, query.mode, params, narrowing)} LIMIT :limit OFFSET :offset`, params);
  }

  /** A page of the best rows (every term required) and how many there are in all. */
  async searchCounted(query: Omit<TrigramQuery, 'mode'>, em: EntityManager = this.dataSource.manager): Promise<{ hits: SearchHit[]; total: number }> {
    const terms = query.terms.filter(Boolean);
    const expression = this.sqlite && this.def.tieredAbove !== undefined && terms.length ? await this.expression(em, terms) : null;
    if (expression === false) return { hits: [], total: 0 };
    if (expression === null) return { hits: await this.search({ ...query, mode: 'all' }, em), total: await this.count(query, em) };
    const { fts } = this.def;
    const narrowing = this.narrowing(query.filter, query.exclude);
    const params: Params = { ...query.filter?.params, exclude: query.exclude ?? [], match: expression, heading: `${this.heading} : (${expression})` };
    const allowed = narrowing ? `AND ${narrowing.on(`${fts}.rowid`)}` : '';
    const countOf = async (match: string) => Number(((await em.query(...this.sql(
      `SELECT COUNT(*) AS n FROM ${fts} WHERE ${fts} MATCH :${match} ${allowed}`, params,
    ))) as { n: number | string }[])[0]?.n ?? 0);
    const total = await countOf('match');
    const limit = query.limit;
    const offset = query.offset ?? 0;
    if (total <= (this.def.tieredAbove as number)) {
      return { hits: await this.run(em, `${this.bm25Query(narrowing, '')} LIMIT :limit OFFSET :offset`, { ...params, limit, offset }), total };
    }
    // Heading matches first, then the rest (body only), each newest first: FTS5 reads its doclists
    // in rowid order and stops at the limit, whatever the number of matches.
    const page = (match: string, tier: number, lim: number, off: number) => this.run(em,
      `SELECT ${fts}.rowid AS hit_key, ${tier} AS score FROM ${fts} WHERE ${fts} MATCH :${match} ${allowed} ORDER BY ${fts}.rowid DESC LIMIT :limit OFFSET :offset`,
      { ...params, body: `(${expression}) NOT (${this.heading} : (${expression}))`, limit: lim, offset: off },
    );
    const first = await page('heading', 2, limit, offset);
    if (first.length === limit) return { hits: first, total };
    // The heading tier ends on this page (or before it): the body tier from where the page needs it.
    const inHeading = first.length > 0 || offset === 0 ? offset + first.length : await countOf('heading');
    const rest = await page('body', 1, limit - first.length, Math.max(0, offset - inHeading));
    return { hits: [...first, ...rest], total };
  }

  /**
   * SQLite: the terms as one FTS5 query, a 1–2 character term as the trigrams that begin with it;
   * null when a short term begins more trigrams than MAX_EXPANSION; false when one begins none (nothing matches).
   */
  private async expression(em: EntityManager, terms: string[]): Promise<string | null | false> {
    const parts: string[] = [];
    for (const term of terms) {
      if (term.length >= TRIGRAM_MIN) {
        parts.push(ftsPhrase(term));
        continue;
      }
      const grams = await this.trigramsStartingWith(em, term);
      if (grams === null) return null;
      if (grams.length === 0) return false;
      parts.push(`(${grams.map(ftsPhrase).join(' OR ')})`);
    }
    return parts.join(' AND ');
  }

  /** How many rows hold every term (and pass the filter). */
  async count(query: Omit<TrigramQuery, 'limit' | 'offset' | 'mode'>, em: EntityManager = this.dataSource.manager): Promise<number> {
    const matching = await this.matching(query.terms, em);
    const narrowing = this.narrowing(query.filter, query.exclude);
    const params: Params = { ...query.filter?.params, ...matching.params, exclude: query.exclude ?? [] };
    const rows = (await em.query(...this.sql(`SELECT COUNT(*) AS n FROM (${matching.sql}) m ${narrowing ? `WHERE ${narrowing.on('m.k')}` : ''}`, params))) as { n: number | string }[];
    return Number(rows[0]?.n ?? 0);
  }

  /**
   * The filter and the excluded keys as conditions (`+`: SQLite must not hand a key list to the FTS
   * table, which would run its MATCH again for every key).
   */
  private narrowing(filter: SearchFilter | undefined, exclude: number[] = []): Narrowing | null {
    const { table, key } = this.def;
    if (!filter && exclude.length === 0) return null;
    const allows = !filter ? null : 'where' in filter ? (k: string) => `+${k} IN (SELECT s.${key} FROM ${table} s WHERE ${filter.where})` : filter.allows;
    const on = (k: string) => [...(allows ? [allows(k)] : []), ...(exclude.length ? [`+${k} NOT IN (:...exclude)`] : [])].join(' AND ');
    const cond = [...(!filter ? [] : 'where' in filter ? [filter.where] : [filter.allows(`s.${key}`)]), ...(exclude.length ? [`s.${key} NOT IN (:...exclude)`] : [])].join(' AND ');
    return { cond, on };
  }

  /**
   * A subquery listing (as `k`) the keys of the rows that hold every term, unordered, to combine with
   * other conditions (`id IN (…)`); its parameters are named `st_*`.
   */
  async matching(terms: string[], em: EntityManager = this.dataSource.manager): Promise<{ sql: string; params: Params }> {
    const { table, key, fts } = this.def;
    const params: Params = {};
    const all = terms.filter(Boolean);
    if (all.length === 0) return { sql: `SELECT s.${key} AS k FROM ${table} s`, params };
    const long = all.filter((t) => t.length >= TRIGRAM_MIN);
    const short = all.filter((t) => t.length < TRIGRAM_MIN);
    if (!this.sqlite) {
      const contains = all.map((t, i) => {
        params[`st_p${i}`] = likePattern(t);
        return `(${this.def.columns.map((c) => `s.${c} LIKE :st_p${i} ${ESC}`).join(' OR ')})`;
      });
      return { sql: `SELECT s.${key} AS k FROM ${table} s WHERE ${contains.join(' AND ')}`, params };
    }
    const expression = this.def.tieredAbove !== undefined ? await this.expression(em, all) : null;
    if (expression === false) return { sql: `SELECT s.${key} AS k FROM ${table} s WHERE 1 = 0`, params };
    if (expression !== null) {
      params.st_match = expression;
      return { sql: `SELECT ${fts}.rowid AS k FROM ${fts} WHERE ${fts} MATCH :st_match`, params };
    }
    if (long.length) {
      params.st_match = long.map(ftsPhrase).join(' AND ');
      const contains = short.map((t, i) => {
        params[`st_s${i}`] = t;
        return `(${this.def.columns.map((c) => `instr(s.${c}, :st_s${i}) > 0`).join(' OR ')})`;
      });
      const narrowed = contains.length ? `AND EXISTS (SELECT 1 FROM ${table} s WHERE s.${key} = ${fts}.rowid AND ${contains.join(' AND ')})` : '';
      return { sql: `SELECT ${fts}.rowid AS k FROM ${fts} WHERE ${fts} MATCH :st_match ${narrowed}`, params };
    }
    await this.ensureInstances(em);
    const perTerm = short.map((t, i) => {
      params[`st_s${i}`] = t;
      params[`st_e${i}`] = `${t}\u{10ffff}`;
      return `SELECT DISTINCT ${i} AS k, doc FROM ${this.instances} WHERE term >= :st_s${i} AND term < :st_e${i}`;
    });
    params.st_terms = short.length;
    return { sql: `SELECT doc AS k FROM (${perTerm.join(' UNION ALL ')}) GROUP BY doc HAVING COUNT(*) = :st_terms`, params };
  }

  /**
   * SQLite, suggestions (any term): the long terms, and each short term as the trigrams that begin
   * with it while there are few; null when no term can use the index (a LIKE scan then).
   */
  private async rankedAny(em: EntityManager, terms: string[], params: Params, narrowing: Narrowing | null): Promise<string | null> {
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
    if (parts.length === 0) return unindexed ? null : this.nothing();
    params.match = parts.join(' OR '); // suggestions: the indexed terms suffice
    return this.bm25Query(narrowing, '');
  }

  /**
   * SQLite, every term required. With long terms: MATCH, ranked by bm25, the short terms looked up
   * in the text of those matches only, whatever their own frequency (instr: the text is normalised
   * as the terms are, so it finds what LIKE would). Short terms alone: the rows where some trigram
   * begins with each (one range of the instances, however many trigrams that is), ranked by the
   * scan's weights summed over the terms, the newest row first on ties.
   */
  private async rankedAll(em: EntityManager, terms: string[], params: Params, narrowing: Narrowing | null): Promise<string> {
    const { table, key, fts } = this.def;
    const long = terms.filter((t) => t.length >= TRIGRAM_MIN);
    const short = terms.filter((t) => t.length < TRIGRAM_MIN);
    if (long.length) {
      short.forEach((t, i) => { params[`s${i}`] = t; });
      const contains = short.map((_t, i) => `(${this.def.columns.map((c) => `instr(s.${c}, :s${i}) > 0`).join(' OR ')})`);
      params.match = long.map(ftsPhrase).join(' AND ');
      return this.bm25Query(narrowing, contains.length ? `AND EXISTS (SELECT 1 FROM ${table} s WHERE s.${key} = ${fts}.rowid AND ${contains.join(' AND ')})` : '');
    }
    await this.ensureInstances(em);
    const perTerm = short.map((t, i) => {
      params[`s${i}`] = t;
      params[`e${i}`] = `${t}\u{10ffff}`;
      return `SELECT ${i} AS k, doc, ${this.shortTermWeight()} AS w FROM ${this.instances} WHERE term >= :s${i} AND term < :e${i} GROUP BY doc`;
    });
    params.terms = short.length;
    const narrowed = narrowing ? `WHERE ${narrowing.on('doc')}` : '';
    return `SELECT doc AS hit_key, SUM(w) AS score FROM (${perTerm.join(' UNION ALL ')})
      ${narrowed} GROUP BY doc HAVING COUNT(*) = :terms ORDER BY score DESC, doc DESC`;
  }

  private bm25Query(narrowing: Narrowing | null, contains: string): string {
    const { fts } = this.def;
    const bm25 = `bm25(${fts}, ${this.def.weights.map((w) => w.toFixed(1)).join(', ')})`;
    const narrowed = narrowing ? `AND ${narrowing.on(`${fts}.rowid`)}` : '';
    return `SELECT ${fts}.rowid AS hit_key, -${bm25} AS score FROM ${fts}
      WHERE ${fts} MATCH :match ${narrowed} ${contains} ORDER BY ${bm25}, ${fts}.rowid DESC`;
  }

  /** A query that finds nothing (no term is in the index). */
  private nothing(): string {
    return `SELECT s.${this.def.key} AS hit_key, 0 AS score FROM ${this.def.table} s WHERE 1 = 0`;
  }

  /** The weight of a short term in a row, from its instances: 20 when in the heading, 3 per occurrence there, 1 elsewhere. */
  private shortTermWeight(): string {
    const h = this.heading;
    return `(CASE WHEN SUM(col = '${h}') > 0 THEN 20 ELSE 0 END) + 3 * SUM(col = '${h}') + SUM(col <> '${h}')`;
  }

  /** Every trigram occurrence of the index, per connection (a temporary fts5vocab table). */
  private async ensureInstances(em: EntityManager): Promise<void> {
    await em.query(`CREATE VIRTUAL TABLE IF NOT EXISTS ${this.instances} USING fts5vocab(main, ${this.def.fts}, instance)`);
  }

  /** The indexed trigrams that begin with a short term; null when there are too many to list. */
  private async trigramsStartingWith(em: EntityManager, term: string): Promise<string[] | null> {
    const rows = (await em.query(
      `SELECT term FROM ${this.def.vocab} WHERE term >= ? AND term < ? LIMIT ?`, [term, `${term}\u{10ffff}`, MAX_EXPANSION + 1],
    )) as { term: string }[];
    return rows.length > MAX_EXPANSION ? null : rows.map((r) => r.term);
  }

  /** LIKE on every row (pg_trgm's GIN index serves it on PostgreSQL), weighted: heading 20, counts. */
  private scan(terms: string[], mode: TrigramQuery['mode'], params: Params, narrowing: Narrowing | null): string {
    const { table, key, columns } = this.def;
    terms.forEach((t, i) => { params[`t${i}`] = t; params[`p${i}`] = likePattern(t); });
    const contains = terms.map((_t, i) => `(${columns.map((c) => `s.${c} LIKE :p${i} ${ESC}`).join(' OR ')})`);
    const all = [...(narrowing ? [narrowing.cond] : []), mode === 'all' ? contains.join(' AND ') : `(${contains.join(' OR ')})`];
    const count = (column: string, i: number) => `((LENGTH(${column}) - LENGTH(REPLACE(${column}, CAST(:t${i} AS TEXT), ''))) / LENGTH(CAST(:t${i} AS TEXT)))`;
    const weight = terms.map((_t, i) => [
      `(CASE WHEN s.${this.heading} LIKE :p${i} ${ESC} THEN 20 ELSE 0 END) + 3 * ${count(`s.${this.heading}`, i)}`,
      ...this.others.map((c) => count(`s.${c}`, i)),
    ].join(' + ')).join(' + ');
    params.q = terms.join(' ');
    const tie = this.sqlite
      ? '0'
      : `GREATEST(similarity(s.${this.heading}, CAST(:q AS TEXT)), ${this.others.map((c) => `word_similarity(CAST(:q AS TEXT), s.${c})`).join(', ')})`;
    return `SELECT s.${key} AS hit_key, (${weight}) AS score, ${tie} AS tie FROM ${table} s ${where(all)}
      ORDER BY score DESC, tie DESC, ${this.newestOrder('s')}`;
  }

  private newestOrder(alias: string): string {
    return [...(this.def.newest ? [`${alias}.${this.def.newest} DESC`] : []), `${alias}.${this.def.key} DESC`].join(', ');
  }

  private async run(em: EntityManager, sql: string, params: Params): Promise<SearchHit[]> {
    const rows = (await em.query(...this.sql(sql, params))) as { hit_key: number | string; score: number | string }[];
    return rows.map((r) => ({ key: Number(r.hit_key), score: Number(r.score) }));
  }

  sql(sql: string, params: Params): [string, unknown[]] {
    return this.dataSource.driver.escapeQueryWithParameters(sql, params, {});
  }
}

const where = (filters: string[]) => (filters.length ? `WHERE ${filters.join(' AND ')}` : '');
