import { Injectable } from '@nestjs/common';
import { Excerpt, excerpt, identityTerms, marked, normaliseForSearch, searchTerms } from '@kkd/core';
import { IdentityMaskService } from '@kkd/membership';
import { ConsultListQuery, ConsultRepository } from './consult.repository';
import { ConsultSearchRepository } from './consult-search.repository';
import { Consult } from './entities/consult.entity';
import { consultNumberQuery } from './utils/consult-number-query.util';

/**
 * Where a consult matched, as plain text with match offsets, the member's identity masked as in the
 * index: its subject, and a window of its messages.
 */
export interface ConsultHighlight {
  /** Null while the consult is not indexed yet (found by its subject meanwhile). */
  subject: Excerpt | null;
  /** Null when the messages hold no term (the subject matched). */
  snippet: Excerpt | null;
}

export interface ConsultListResult {
  items: Consult[];
  total: number;
  /** With `q`: per consult id. */
  highlights?: Map<number, ConsultHighlight>;
}

/** Who searches: managers and admins may find consults by the member's identity, experts never. */
export interface SearchViewer {
  seesIdentity: boolean;
}

/** ConsultSearchRepository.memberCondition for the query, on a consult alias (null: the query names no member). */
type MemberCondition = (alias: string) => { where: string; params: Record<string, unknown> };

/** Characters of a snippet. */
const SNIPPET_WIDTH = 120;
/** New consults not yet indexed whose subjects are looked at, at most (the newest). */
const MAX_UNINDEXED = 200;

/**
 * The queue's search box: a consult number finds that consult first; otherwise every term must
 * occur in the subject or the messages (the FAQ's engine on consult_search), best first with the
 * subject weighted above the body, or in the order asked for. The queue's other filters apply
 * too. Consults whose mail the indexer has not read yet are matched on their subject meanwhile.
 * Every viewer also finds the consults of the member the terms name as the queue shows it (club
 * ID, nickname); a viewer who sees identity also those of members whose company, department,
 * contact name or address holds every term (the index stays masked): after the text matches,
 * newest first, or merged into the order asked for.
 */
@Injectable()
export class ConsultSearchService {
  constructor(private readonly repo: ConsultRepository, private readonly search: ConsultSearchRepository, private readonly masks: IdentityMaskService) {}

  /** Experts' search unless told otherwise: never by identity. */
  async list(query: ConsultListQuery, viewer: SearchViewer = { seesIdentity: false }): Promise<ConsultListResult> {
    const terms = searchTerms(query.q ?? '');
    if (terms.length === 0) return this.repo.list(query);
    const number = consultNumberQuery(query.q ?? '');
    const numbered = number === null ? null : await this.repo.idWithNumber(number, query);
    const fresh = await this.freshSubjectMatches(query, terms);
    const pinned = [...new Set([...(numbered ? [numbered] : []), ...fresh])];
    // The members' identity is stored folded as identityTerms folds the query (members.identity_search).
    const identity = viewer.seesIdentity ? identityTerms(query.q ?? '') : [];
    const byMember = (await this.search.namesMember(terms, identity)) ? (alias: string) => this.search.memberCondition(terms, identity, alias) : null;
    const result = query.order === 'relevance' ? await this.byRelevance(query, terms, pinned, byMember) : await this.inOrder(query, terms, pinned, byMember);
    return { ...result, highlights: await this.highlights(result.items, terms) };
  }

  /**
   * Consults the index has not read yet whose subject, masked as the index would hold it, has every
   * term: found at once, as the subject search did before the index.
   */
  private async freshSubjectMatches(query: ConsultListQuery, terms: string[]): Promise<number[]> {
    const found: number[] = [];
    for (const c of await this.repo.unindexed(query, await this.search.watermark(), MAX_UNINDEXED)) {
      const subject = normaliseForSearch((await this.masks.maskerFor(c.memberId))(c.subject));
      if (terms.every((t) => subject.includes(t))) found.push(c.id);
    }
    return found;
  }

  /**
   * Best first: the numbered consult and fresh subject matches, then the index's hits, then the
   * other consults of the members the terms name (byMember), newest first.
   */
  private async byRelevance(query: ConsultListQuery, terms: string[], pinned: number[], byMember: MemberCondition | null): Promise<ConsultListResult> {
    const filter = this.repo.filterCondition(query) ?? undefined;
    const offset = (query.page - 1) * query.pageSize;
    const onPage = pinned.slice(offset, offset + query.pageSize);
    const { hits, total } = await this.search.search(terms, filter, pinned, query.pageSize - onPage.length, Math.max(0, offset - pinned.length));
    const ids = [...onPage, ...hits.map((h) => h.key)];
    const textTotal = pinned.length + total;
    if (!byMember) return { items: await this.repo.byIds(ids), total: textTotal };
    const matching = await this.search.engine.matching(terms);
    const listed = { where: `ic.id IN (${matching.sql})${pinned.length ? ' OR ic.id IN (:...pinned)' : ''}`, params: { ...matching.params, pinned } };
    const more = await this.search.memberMatches(byMember('ic'), filter, listed, query.pageSize - ids.length, Math.max(0, offset - textTotal));
    return { items: await this.repo.byIds([...ids, ...more.ids]), total: textTotal + more.total };
  }

  /** Newest, oldest or due first, among the index's matches, the pinned consults and the member matches. */
  private async inOrder(query: ConsultListQuery, terms: string[], pinned: number[], byMember: MemberCondition | null): Promise<ConsultListResult> {
    const matching = await this.search.engine.matching(terms);
    const member = byMember?.('c');
    return this.repo.list(query, {
      where: `(c.id IN (${matching.sql})${pinned.length ? ' OR c.id IN (:...pinned)' : ''}${member ? ` OR ${member.where}` : ''})`,
      params: { ...matching.params, pinned, ...member?.params },
    });
  }

  private async highlights(items: Consult[], terms: string[]): Promise<Map<number, ConsultHighlight>> {
    const texts = await this.search.excerpts(items.map((c) => c.id));
    return new Map(items.map((c) => {
      const text = texts.get(c.id);
      const window = text ? excerpt(text.excerpt, terms, SNIPPET_WIDTH) : null;
      return [c.id, { subject: text ? marked(text.heading, terms) : null, snippet: window?.marks.length ? window : null }];
    }));
  }
}
