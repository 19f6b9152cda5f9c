import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { Category } from '@kkd/consults';
import { Clock, DomainError, TransactionRunner } from '@kkd/core';
import { Member, MemberRepository } from '@kkd/membership';
import { StaffUser } from '@kkd/staff';
import { FaqEntry } from './entities/faq-entry.entity';
import { FaqVersion } from './entities/faq-version.entity';
import { FaqSearchRepository } from './faq-search.repository';
import { FaqRepository } from './faq.repository';
import { IdentityContextService } from './identity-context.service';
import { FaqRefusedError } from './knowledge-base.exception';
import { identityFindings, prepare, Replacement, REPLACEMENT_LABELS } from './utils/anonymise.util';
import { FaqAction, nextFaqStatus } from './utils/faq-workflow.util';

export interface FaqEditInput {
  title: string;
  question: string;
  answer: string;
  category: Category;
  keepTerms: string[];
}

const ACTION_LABELS: Record<FaqAction, string> = { edit: '編集', submit: 'レビュー依頼', return: '差し戻し', publish: '公開', archive: 'アーカイブ' };
const MANAGER_ACTIONS: FaqAction[] = ['return', 'publish', 'archive'];

/** Only managers and admins return, publish and archive (the edge checks too). */
export class FaqForbiddenError extends DomainError {
  constructor(action: FaqAction) {
    super('faq.forbidden', `${ACTION_LABELS[action]}はマネージャーだけが行えます。`, { field: 'status' });
  }
}

export const parseJsonList = <T>(json: string): T[] => {
  try {
    const value: unknown = JSON.parse(json);
    return Array.isArray(value) ? (value as T[]) : [];
  } catch {
    return [];
  }
};

/**
 * Review and publication. Publishing re-checks the text against every member's identity and
 * refuses while any remains; each publication is kept as a numbered version, and the search
 * table follows the live version.
 */
@Injectable()
export class FaqWorkflowService {
  constructor(
    private readonly repo: FaqRepository,
    private readonly search: FaqSearchRepository,
    private readonly identity: IdentityContextService,
    private readonly tx: TransactionRunner,
    private readonly clock: Clock,
    private readonly members: MemberRepository,
  ) {}

  get(id: number): Promise<FaqEntry> {
    return this.repo.get(id);
  }

  /** The member whose consult the entry came from (for recording who saw the replaced originals). */
  sourceMember(entry: FaqEntry): Promise<Pick<Member, 'id' | 'clubId'> | null> {
    return entry.sourceMemberId === null ? Promise.resolve(null) : this.members.findById(entry.sourceMemberId);
  }

  /** Member identity still in the entry's text (what publishing would refuse). */
  async findings(entry: FaqEntry): Promise<Replacement[]> {
    const context = prepare(await this.identity.forConsult(entry.sourceMemberId, entry.sourceConsultId, parseJsonList<string>(entry.keepTerms)));
    return [entry.title, entry.question, entry.answer].flatMap((text) => identityFindings(text, context));
  }

  async edit(id: number, input: FaqEditInput, actor: StaffUser): Promise<FaqEntry> {
    return this.transition(id, 'edit', actor, async (entry) => {
      Object.assign(entry, {
        title: input.title.trim(), question: input.question.trim(), answer: input.answer.trim(), category: input.category,
        keepTerms: JSON.stringify([...new Set(input.keepTerms.map((k) => k.trim()).filter(Boolean))]),
      });
    });
  }

  submit(id: number, actor: StaffUser): Promise<FaqEntry> {
    return this.transition(id, 'submit', actor);
  }

  returnToDraft(id: number, actor: StaffUser): Promise<FaqEntry> {
    return this.transition(id, 'return', actor);
  }

  async publish(id: number, actor: StaffUser): Promise<FaqEntry> {
    const checked = await this.repo.get(id);
    const found = await this.findings(checked);
    if (found.length) {
      const kinds = [...new Set(found.map((f) => REPLACEMENT_LABELS[f.kind]))].join('、');
      throw new FaqRefusedError(`会員を特定できる情報が残っているため公開できません（${kinds}）。`, 'answer', { kinds: [...new Set(found.map((f) => f.kind))] });
    }
    return this.transition(id, 'publish', actor, async (entry, em) => {
      // The text checked is the text published: an edit in between means checking again.
      if (entry.updatedAt.getTime() !== checked.updatedAt.getTime()) throw new FaqRefusedError('公開の直前に編集されました。内容を確認してからもう一度公開してください。');
      if (!entry.answer.trim() || !entry.question.trim()) throw new FaqRefusedError('質問と回答を入力してから公開してください。', entry.answer.trim() ? 'question' : 'answer');
      const now = this.clock.now();
      const version = await this.repo.nextVersion(em, entry.id);
      await em.getRepository(FaqVersion).insert({
        entryId: entry.id, version, category: entry.category, title: entry.title, question: entry.question, answer: entry.answer, publishedBy: actor.id, publishedAt: now,
      });
      entry.liveVersion = version;
      await this.search.put(em, { entryId: entry.id, category: entry.category, title: entry.title, question: entry.question, answer: entry.answer, publishedAt: now });
    });
  }

  archive(id: number, actor: StaffUser): Promise<FaqEntry> {
    return this.transition(id, 'archive', actor, async (entry, em) => {
      entry.liveVersion = null;
      await this.search.remove(em, entry.id);
    });
  }

  private transition(id: number, action: FaqAction, actor: StaffUser, change?: (entry: FaqEntry, em: EntityManager) => Promise<void>): Promise<FaqEntry> {
    if (MANAGER_ACTIONS.includes(action) && actor.role === 'expert') throw new FaqForbiddenError(action);
    return this.tx.run(async (em) => {
      const entry = await this.repo.get(id, em);
      const next = nextFaqStatus(entry.status, action);
      if (next === null) throw new FaqRefusedError(`この状態のFAQには「${ACTION_LABELS[action]}」はできません。`);
      if (change) await change(entry, em);
      entry.status = next;
      entry.updatedBy = actor.id;
      entry.updatedAt = this.clock.now();
      return em.getRepository(FaqEntry).save(entry);
    });
  }
}
