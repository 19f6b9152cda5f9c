import { Injectable, OnModuleInit } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { Category } from '@kkd/consults';
import { AppConfig, DomainEventMap, DomainEvents, highlight, normaliseForSearch, NotFoundError, searchTerms, snippet } from '@kkd/core';
import { FaqVersion } from './entities/faq-version.entity';
import { FaqSearchRepository } from './faq-search.repository';
import { FaqRepository } from './faq.repository';

export interface FaqSearchResult {
  id: number;
  version: number;
  category: Category;
  title: string;
  question: string;
  answer: string;
  publishedAt: Date;
  score: number;
  /** Escaped HTML with <mark> around the matched terms: safe to insert as it is. */
  highlight: { title: string; question: string; answer: string };
}

export interface FaqSearchOptions {
  q?: string;
  category?: Category;
  limit?: number;
  offset?: number;
}

const MAX_LIMIT = 50;
/** Words of a mail worth looking up: kanji compounds, katakana words, Latin tokens (3+ characters). */
const KEY_TERM = /[\p{Script=Han}々]{3,}|[\p{Script=Katakana}ー]{3,}|[a-z0-9][a-z0-9._-]{2,}/gu;
const MAX_KEY_TERMS = 10;

/**
 * Japanese full-text search over the published FAQ (live versions only), best first, with
 * highlights; and suggestions of entries that read like a mail (for triage and acknowledgements).
 */
@Injectable()
export class FaqSearchService implements OnModuleInit {
  constructor(
    private readonly searchRepo: FaqSearchRepository,
    private readonly repo: FaqRepository,
    private readonly events: DomainEvents,
    private readonly config: AppConfig,
  ) {}

  onModuleInit(): void {
    this.events.on('consult.opened', 'faq-suggestions', (em, opened) => this.suggestInAcknowledgement(em, opened));
  }

  /** Up to 3 published entries that read like a new consult, listed in its acknowledgement. */
  private async suggestInAcknowledgement(em: EntityManager, { consult, text, acknowledgementNotes }: DomainEventMap['consult.opened']): Promise<void> {
    const entries = await this.similarEntries(`${consult.subject}\n${text}`, 3, em);
    if (entries.length === 0) return;
    const lines = entries.map((e) => `・${e.title}\n  ${this.config.consoleUrl}/help/entries/${e.id}`);
    acknowledgementNotes.set('faq', ['ご参考までに、関連するよくある質問（FAQ）です。', ...lines].join('\n'));
  }

  async search(options: FaqSearchOptions): Promise<FaqSearchResult[]> {
    const terms = searchTerms(options.q ?? '');
    const limit = Math.min(Math.max(options.limit ?? 20, 1), MAX_LIMIT);
    const hits = await this.searchRepo.search({ terms, category: options.category, limit, offset: options.offset, mode: 'all' });
    return this.results(hits, terms);
  }

  /** Published entries that read like the given text (a consult's mail), best first. */
  async similarEntries(text: string, limit = 3, em?: EntityManager): Promise<FaqSearchResult[]> {
    const counts = new Map<string, number>();
    for (const m of normaliseForSearch(text).matchAll(KEY_TERM)) counts.set(m[0].slice(0, 20), (counts.get(m[0].slice(0, 20)) ?? 0) + 1);
    const terms = [...counts].sort((a, b) => b[1] - a[1] || b[0].length - a[0].length).slice(0, MAX_KEY_TERMS).map(([t]) => t);
    if (terms.length === 0) return [];
    const hits = await this.searchRepo.search({ terms, limit: Math.min(Math.max(limit, 1), MAX_LIMIT), mode: 'any' }, em);
    return this.results(hits, terms, em);
  }

  /** The version members read of a published entry; not found while unpublished or archived. */
  async publishedEntry(id: number): Promise<FaqVersion> {
    const version = (await this.repo.liveVersions([id])).get(id);
    if (!version) throw new NotFoundError('faq entry', id);
    return version;
  }

  private async results(hits: { entryId: number; score: number }[], terms: string[], em?: EntityManager): Promise<FaqSearchResult[]> {
    const live = await this.repo.liveVersions(hits.map((h) => h.entryId), em);
    return hits.flatMap((h) => {
      const v = live.get(h.entryId);
      if (!v) return [];
      return [{
        id: v.entryId, version: v.version, category: v.category, title: v.title, question: v.question, answer: v.answer,
        publishedAt: v.publishedAt, score: h.score,
        highlight: { title: highlight(v.title, terms), question: snippet(v.question, terms, 160), answer: snippet(v.answer, terms, 160) },
      }];
    });
  }
}
