import { Injectable } from '@nestjs/common';
import { Consult, ConsultsService, Message } from '@kkd/consults';
import { Clock, TransactionRunner } from '@kkd/core';
import { splitQuotedText } from '@kkd/inbox';
import { stripSignature } from '@kkd/membership';
import { StaffUser } from '@kkd/staff';
import { FaqEntry } from './entities/faq-entry.entity';
import { FaqRepository } from './faq.repository';
import { IdentityContextService } from './identity-context.service';
import { FaqRefusedError } from './knowledge-base.exception';
import { anonymise, prepare, Replacement } from './utils/anonymise.util';

export interface FaqDraftContent {
  title: string;
  question: string;
  answer: string;
  replacements: Replacement[];
}

const SUBJECT_NOISE = /^(?:\s*(?:\[KKD#\d+\]|(?:re|fwd?|aw|返信|転送)\s*[:：]))+\s*/i;

/**
 * What a mail says now: its quoted history and its signature left out. A short mail that reads as
 * a signature block as a whole (two lines with a phone number and an address) is still what the
 * member said: then it is kept as it is (the anonymiser masks it like any text).
 */
export const freshText = (m: Pick<Message, 'text'>): string => {
  const fresh = splitQuotedText(m.text).fresh;
  return stripSignature(fresh) || fresh.trim() || m.text.trim();
};

/** Dedupes replacements so the reviewer sees each replaced value once. */
function uniqueReplacements(list: Replacement[]): Replacement[] {
  const seen = new Map<string, Replacement>();
  for (const r of list) seen.set(`${r.kind}\u0000${r.original}`, r);
  return [...seen.values()];
}

/**
 * 「FAQ化」: drafts an anonymised entry from a resolved consult. The question is what the member
 * wrote (new text of each of their mails, quotes and signatures removed), the answer what the
 * experts replied; the category is the consult's. The consult stays linked, internally only.
 */
@Injectable()
export class FaqPromotionService {
  constructor(
    private readonly consults: ConsultsService,
    private readonly repo: FaqRepository,
    private readonly identity: IdentityContextService,
    private readonly tx: TransactionRunner,
    private readonly clock: Clock,
  ) {}

  async promote(number: number, actor: StaffUser, keep: string[] = []): Promise<FaqEntry> {
    const { consult, thread } = await this.consults.detail(number);
    if (consult.status !== 'resolved' && consult.status !== 'closed') {
      throw new FaqRefusedError('FAQにできるのは「解決済み」または「完了」の相談だけです。');
    }
    const draft = await this.draftFrom(consult, thread, keep);
    const now = this.clock.now();
    return this.tx.run(async (em) => {
      const existing = await this.repo.activeForConsult(consult.id, em);
      if (existing) throw new FaqRefusedError(`この相談からは既にFAQ（#${existing.id}）が作られています。`, 'consult', { entryId: existing.id });
      const repo = em.getRepository(FaqEntry);
      return repo.save(repo.create({
        status: 'draft', category: consult.category, title: draft.title, question: draft.question, answer: draft.answer,
        keepTerms: JSON.stringify(keep), replacements: JSON.stringify(draft.replacements),
        sourceConsultId: consult.id, sourceMemberId: consult.memberId, liveVersion: null,
        createdBy: actor.id, updatedBy: actor.id, createdAt: now, updatedAt: now,
      }));
    });
  }

  /** Drafts the entry again from its consult, with the indicators now marked to keep. */
  async redraft(id: number, keep: string[], actor: StaffUser): Promise<FaqEntry> {
    const entry = await this.repo.get(id);
    const number = entry.sourceConsultId === null ? null : await this.consults.numberOf(entry.sourceConsultId);
    if (number === null) throw new FaqRefusedError('元の相談がないため作り直せません。', 'consult');
    if (entry.status !== 'draft' && entry.status !== 'review') throw new FaqRefusedError('作り直せるのは下書きかレビュー待ちのFAQだけです。');
    const { consult, thread } = await this.consults.detail(number);
    const draft = await this.draftFrom(consult, thread, keep);
    return this.tx.run(async (em) => {
      const current = await this.repo.get(id, em);
      Object.assign(current, {
        title: draft.title, question: draft.question, answer: draft.answer, keepTerms: JSON.stringify(keep),
        replacements: JSON.stringify(draft.replacements), updatedBy: actor.id, updatedAt: this.clock.now(),
      });
      return em.getRepository(FaqEntry).save(current);
    });
  }

  async draftFrom(consult: Consult, thread: Message[], keep: string[]): Promise<FaqDraftContent> {
    const context = prepare(await this.identity.forConsult(consult.memberId, consult.id, keep));
    const join = (direction: Message['direction']) => thread.filter((m) => m.direction === direction).map(freshText).filter(Boolean).join('\n\n');
    const title = anonymise(consult.subject.replace(SUBJECT_NOISE, '').trim(), context);
    const question = anonymise(join('inbound'), context);
    const answer = anonymise(join('outbound'), context);
    return {
      title: title.text || '（件名なし）', question: question.text, answer: answer.text,
      replacements: uniqueReplacements([...title.replacements, ...question.replacements, ...answer.replacements]),
    };
  }
}
