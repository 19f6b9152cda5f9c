import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { normaliseForSearch, TrigramSearch } from '@kkd/core';

export interface SearchHit {
  entryId: number;
  /** Higher is better (see TrigramSearch). */
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

/**
 * The search table (faq_search: the live text of each readable entry, normalised) on the shared
 * engine: SQLite FTS5 trigram faq_fts ranked by bm25 (question, with the title, weighted 4:1),
 * PostgreSQL pg_trgm GIN indexes.
 */
@Injectable()
export class FaqSearchRepository {
  private readonly engine: TrigramSearch;

  constructor(dataSource: DataSource) {
    this.engine = new TrigramSearch(dataSource, {
      table: 'faq_search', key: 'entry_id', fts: 'faq_fts', vocab: 'faq_fts_terms', columns: ['question', 'answer'], weights: [4, 1], newest: 'published_at',
    });
  }

  /** Makes an entry's live version searchable (or refreshes it). */
  async put(em: EntityManager, row: { entryId: number; category: string; title: string; question: string; answer: string; publishedAt: Date }): Promise<void> {
    await this.remove(em, row.entryId);
    await em.query(...this.engine.sql(
      'INSERT INTO faq_search (entry_id, category, question, answer, published_at) VALUES (:id, :category, :question, :answer, :at)',
      {
        id: row.entryId, category: row.category, question: this.engine.stored(normaliseForSearch(`${row.title}\n${row.question}`)),
        answer: this.engine.stored(normaliseForSearch(row.answer)), at: row.publishedAt.getTime(),
      },
    ));
  }

  async remove(em: EntityManager, entryId: number): Promise<void> {
    await em.query(...this.engine.sql('DELETE FROM faq_search WHERE entry_id = :id', { id: entryId }));
  }

  /** `em`: the caller's transaction when there is one (a second pooled connection could wait forever). */
  async search(query: SearchQuery, em?: EntityManager): Promise<SearchHit[]> {
    const filter = query.category ? { where: 's.category = :category', params: { category: query.category } } : undefined;
    const hits = await this.engine.search({ terms: query.terms, mode: query.mode, filter, limit: query.limit, offset: query.offset }, em);
    return hits.map((h) => ({ entryId: h.key, score: h.score }));
  }
}
