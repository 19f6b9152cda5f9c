import { Injectable } from '@nestjs/common';
import { CATEGORIES, Category, Consult } from '@kkd/consults';
import { Clock, NotFoundError, SettingsService, TransactionRunner, ValidationError } from '@kkd/core';
import { REPLY_SIGNATURE } from '@kkd/mail';
import { StaffUser } from '@kkd/staff';
import { CannedReplyRepository } from './canned-reply.repository';
import { CannedReply } from './entities/canned-reply.entity';
import { fillPlaceholders, PLACEHOLDERS, placeholderValues, unknownPlaceholders } from './utils/fill-placeholders.util';

/** A template as a manager types it. */
export interface CannedReplyInput {
  /** null: for every category (共通). */
  category: Category | null;
  title: string;
  body: string;
}

/** A template as offered in a reply form. */
export type CannedReplyChoice = Pick<CannedReply, 'id' | 'category' | 'title'>;

/** A template filled for one consult, ready for the reply form. */
export interface CannedReplyDraft {
  id: number;
  title: string;
  text: string;
}

const categoryOrder = (c: Category | null) => (c === null ? -1 : CATEGORIES.indexOf(c));
/** Common templates first, then by the category vocabulary's order, then by title. */
const listOrder = (a: CannedReplyChoice, b: CannedReplyChoice) =>
  categoryOrder(a.category) - categoryOrder(b.category) || a.title.localeCompare(b.title, 'ja') || a.id - b.id;

/**
 * Canned replies (定型文): managers keep them per category; experts insert one into a reply, filled
 * with the consult's facts an expert may see (nickname, club ID, number, due time, their own name).
 * A reply sent from a template counts as one use of it. Also keeps the secretariat's signature,
 * which the reply mail ends with.
 */
@Injectable()
export class CannedRepliesService {
  constructor(
    private readonly repo: CannedReplyRepository,
    private readonly tx: TransactionRunner,
    private readonly clock: Clock,
    private readonly settings: SettingsService,
  ) {}

  /** Every template, in the list's order. */
  async list(): Promise<CannedReply[]> {
    return (await this.repo.all()).sort(listOrder);
  }

  /** The templates to choose from in a reply form (no bodies), in the list's order. */
  async choices(): Promise<CannedReplyChoice[]> {
    return (await this.repo.titles()).sort(listOrder);
  }

  async get(id: number): Promise<CannedReply> {
    const row = await this.repo.findById(id);
    if (!row) throw new NotFoundError('canned reply', id);
    return row;
  }

  async add(input: CannedReplyInput): Promise<CannedReply> {
    const clean = this.checked(input);
    const now = this.clock.now();
    return this.tx.run((em) => this.repo.save(em, { ...clean, usageCount: 0, lastUsedAt: null, createdAt: now, updatedAt: now }));
  }

  async update(id: number, input: CannedReplyInput): Promise<CannedReply> {
    const clean = this.checked(input);
    return this.tx.run(async (em) => {
      const row = await this.repo.findById(id, em);
      if (!row) throw new NotFoundError('canned reply', id);
      return this.repo.save(em, { ...row, ...clean, updatedAt: this.clock.now() });
    });
  }

  async remove(id: number): Promise<void> {
    if (!(await this.tx.run((em) => this.repo.delete(em, id)))) throw new NotFoundError('canned reply', id);
  }

  /**
   * The template filled for this consult and the expert writing the reply. A template deleted
   * since the page was shown is a form error, not a missing page.
   */
  async draft(id: number, consult: Consult, author: Pick<StaffUser, 'name'>): Promise<CannedReplyDraft> {
    const row = await this.repo.findById(id);
    if (!row) throw new ValidationError('template', 'この定型文は見つかりません（削除された可能性があります）。');
    const values = placeholderValues({
      nickname: consult.member.nickname, clubId: consult.member.clubId, consultNumber: consult.number, dueAt: consult.dueAt, expertName: author.name,
    });
    return { id: row.id, title: row.title, text: fillPlaceholders(row.body, values) };
  }

  /** A reply that started from these templates was sent: one use each (run right after the reply). */
  async recordUse(ids: number[]): Promise<void> {
    const distinct = [...new Set(ids)];
    if (distinct.length) await this.tx.run((em) => this.repo.countUse(em, distinct, this.clock.now()));
  }

  signature(): Promise<string> {
    return this.settings.get(REPLY_SIGNATURE);
  }

  /** Stores the signature as typed (line breaks normalised); a ValidationError names the field `signature`. */
  async setSignature(text: string, actor: Pick<StaffUser, 'id'>): Promise<string> {
    try {
      return await this.settings.set(REPLY_SIGNATURE, text.replace(/\r\n?/g, '\n'), actor.id);
    } catch (err) {
      if (err instanceof ValidationError) throw new ValidationError('signature', err.message);
      throw err;
    }
  }

  /** Trimmed, with only known placeholders (a typo or an identity field such as {会社名} is refused). */
  private checked(input: CannedReplyInput): CannedReplyInput {
    const title = input.title.trim();
    const body = input.body.replace(/\r\n?/g, '\n').trim();
    if (!title) throw new ValidationError('title', '題名を入力してください。');
    if (!body) throw new ValidationError('body', '本文を入力してください。');
    const unknown = unknownPlaceholders(body);
    if (unknown.length) {
      const known = PLACEHOLDERS.map((p) => `{${p.name}}`).join(' ');
      throw new ValidationError('body', `${unknown.join(' ')} は使えない差し込み項目です。使えるのは ${known} です。`);
    }
    return { category: input.category, title, body };
  }
}
