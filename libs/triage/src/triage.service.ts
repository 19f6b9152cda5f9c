import { Injectable, Logger, OnApplicationBootstrap, OnModuleInit } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { EntityManager, Repository } from 'typeorm';
import { CATEGORIES, CATEGORY_LABELS, Category, ConsultRepository, PRIORITIES, PRIORITY_LABELS, Priority } from '@kkd/consults';
import { Clock, DomainEventMap, DomainEvents, NotFoundError, TransactionRunner, ValidationError } from '@kkd/core';
import { TriageRuleRow } from './entities/triage-rule.entity';
import { DEFAULT_TRIAGE_RULES } from './utils/default-triage-rules';
import { compileTriageRules, CompiledTriageRules, scoreTriage, TriageMatch, TriageResult, TriageRule } from './utils/score-triage.util';

/** Other instances pick up a manager's rule edits within this time (this one at once). */
const RULES_CACHE_MS = 5_000;
const RULES_VERSION = 'triage_rules';

export interface TriageRuleInput {
  term: string;
  category: Category | null;
  priority: Priority | null;
  weight: number;
}

export interface TriagePreviewRow {
  number: number;
  subject: string;
  current: TriageResult;
  proposed: TriageResult;
  changed: boolean;
}

/**
 * Triage of a new consult: category and priority from weighted terms (rules are data managers
 * edit), with the matched terms kept as the reason. Runs inside the intake's transaction as a
 * handler of `consult.opened`; a failure there leaves the consult as it was (一般相談・通常).
 */
@Injectable()
export class TriageService implements OnModuleInit, OnApplicationBootstrap {
  private readonly logger = new Logger(TriageService.name);
  private cache: { version: number; checkedAt: number; compiled: CompiledTriageRules } | null = null;

  constructor(
    @InjectRepository(TriageRuleRow) private readonly rules: Repository<TriageRuleRow>,
    private readonly consults: ConsultRepository,
    private readonly tx: TransactionRunner,
    private readonly clock: Clock,
    private readonly events: DomainEvents,
  ) {}

  onModuleInit(): void {
    this.events.on('consult.opened', 'triage', (em, payload) => this.triageOpened(em, payload));
  }

  /** The first start seeds the default rules once; after that they are the managers' (even all deleted). */
  async onApplicationBootstrap(): Promise<void> {
    const seeded = await this.tx.run(async (em) => {
      // Whoever creates the version row seeds (two instances starting together seed once).
      // The leading comment makes TypeORM's SQLite runner return the RETURNING rows.
      const created: unknown[] = await em.query(
        `/* seed triage rules */ INSERT INTO counters (name, value) VALUES ('${RULES_VERSION}', 1) ON CONFLICT (name) DO NOTHING RETURNING name`,
      );
      if (created.length === 0) return false;
      const now = this.clock.now();
      await em.getRepository(TriageRuleRow).insert(DEFAULT_TRIAGE_RULES.map((r) => ({ ...r, createdAt: now, updatedAt: now })));
      return true;
    });
    if (seeded) this.logger.log(`seeded ${DEFAULT_TRIAGE_RULES.length} default triage rules`);
  }

  /**
   * Unreadable rules leave the consult as it is (一般相談・通常, said on the timeline), and it still
   * goes on to assignment: nobody's consult waits for a repaired rules table.
   */
  private async triageOpened(em: EntityManager, { consult, text }: DomainEventMap['consult.opened']): Promise<void> {
    const { id: consultId, subject } = consult;
    let rules: CompiledTriageRules | null = null;
    try {
      rules = await this.compiled(em);
    } catch (err) {
      this.logger.error(`triage rules unreadable, KKD consult ${consultId} stays 一般相談・通常: ${err instanceof Error ? err.message : String(err)}`);
    }
    if (rules) {
      const result = scoreTriage(rules, { subject, body: text });
      await this.consults.applyTriage(em, consultId, result.category, result.priority, JSON.stringify(result.matches), describeTriage(result), this.clock.now());
      await this.events.emit(em, 'consult.triaged', { consult: { ...consult, category: result.category, priority: result.priority }, text });
    } else {
      await this.consults.recordEvent(em, consultId, 'triaged', '自動分類できませんでした（振り分けルールを読み込めません）: 一般相談・優先度 通常のまま', null, this.clock.now());
      await this.events.emit(em, 'consult.triaged', { consult, text });
    }
  }

  list(): Promise<TriageRuleRow[]> {
    return this.rules.find({ order: { category: 'ASC', priority: 'ASC', weight: 'DESC', term: 'ASC' } });
  }

  add(input: TriageRuleInput): Promise<TriageRuleRow> {
    const rule = validRule(input);
    return this.edit(async (em) => {
      const now = this.clock.now();
      return em.getRepository(TriageRuleRow).save(em.getRepository(TriageRuleRow).create({ ...rule, createdAt: now, updatedAt: now }));
    });
  }

  update(id: number, input: TriageRuleInput): Promise<TriageRuleRow> {
    const rule = validRule(input);
    return this.edit(async (em) => {
      const row = await em.getRepository(TriageRuleRow).findOne({ where: { id } });
      if (!row) throw new NotFoundError('triage rule', id);
      return em.getRepository(TriageRuleRow).save(Object.assign(row, rule, { updatedAt: this.clock.now() }));
    });
  }

  remove(id: number): Promise<TriageRuleRow> {
    return this.edit(async (em) => {
      const row = await em.getRepository(TriageRuleRow).findOne({ where: { id } });
      if (!row) throw new NotFoundError('triage rule', id);
      await em.getRepository(TriageRuleRow).delete(id);
      return row;
    });
  }

  /**
   * How the recent consults come out with the rules now and with a proposed change (a new rule,
   * or an edited or removed one), so a manager sees the effect before saving.
   */
  async preview(change: { add?: TriageRuleInput; replaceId?: number; removeId?: number }, limit = 50): Promise<TriagePreviewRow[]> {
    const rows = await this.list();
    const proposedRules: TriageRule[] = rows
      .filter((r) => r.id !== change.removeId && r.id !== change.replaceId)
      .map(plainRule)
      .concat(change.add ? [validRule(change.add)] : []);
    const current = compileTriageRules(rows.map(plainRule));
    const proposed = compileTriageRules(proposedRules);
    const recent = await this.consults.recentOpenings(limit);
    return recent.map(({ number, subject, text }) => {
      const now = scoreTriage(current, { subject, body: text });
      const then = scoreTriage(proposed, { subject, body: text });
      return { number, subject, current: now, proposed: then, changed: now.category !== then.category || now.priority !== then.priority };
    });
  }

  private async edit<T>(work: (em: EntityManager) => Promise<T>): Promise<T> {
    const result = await this.tx.run(async (em) => {
      const out = await work(em);
      await em.query(`UPDATE counters SET value = value + 1 WHERE name = '${RULES_VERSION}'`);
      return out;
    });
    this.cache = null;
    return result;
  }

  /** The compiled rules, reloaded when the version counter moved (checked at most every few seconds). */
  private async compiled(em: EntityManager): Promise<CompiledTriageRules> {
    const now = Date.now();
    if (this.cache && now - this.cache.checkedAt < RULES_CACHE_MS) return this.cache.compiled;
    // Under a savepoint: a failed read must not spoil the caller's transaction (PostgreSQL).
    return em.transaction(async (inner) => {
      const rows: { value: number | string }[] = await inner.query(`SELECT value FROM counters WHERE name = '${RULES_VERSION}'`);
      const version = Number(rows[0]?.value ?? 0);
      if (this.cache && this.cache.version === version) {
        this.cache.checkedAt = now;
        return this.cache.compiled;
      }
      const compiled = compileTriageRules((await inner.getRepository(TriageRuleRow).find()).map(plainRule));
      this.cache = { version, checkedAt: now, compiled };
      return compiled;
    });
  }
}

function plainRule(row: TriageRuleRow): TriageRule {
  return { term: row.term, category: row.category, priority: row.priority, weight: row.weight };
}

function validRule(input: TriageRuleInput): TriageRule {
  const term = input.term?.trim() ?? '';
  if (!term) throw new ValidationError('term', '語句を入力してください。');
  if (term.length > 100) throw new ValidationError('term', '語句は100文字以内で入力してください。');
  if (input.category !== null && !CATEGORIES.includes(input.category)) throw new ValidationError('category', '分類が正しくありません。');
  if (input.priority !== null && !PRIORITIES.includes(input.priority)) throw new ValidationError('priority', '優先度が正しくありません。');
  if (input.category === null && input.priority === null) throw new ValidationError('category', '分類か優先度のどちらかを選んでください。');
  if (!Number.isInteger(input.weight) || input.weight === 0 || Math.abs(input.weight) > 10) {
    throw new ValidationError('weight', '重みは -10〜10 の 0 以外の整数で入力してください。');
  }
  return { term, category: input.category, priority: input.priority, weight: input.weight };
}

/** The timeline's line for a triage result: what was chosen and the terms that decided it. */
export function describeTriage(result: TriageResult): string {
  const chosen = `${CATEGORY_LABELS[result.category]}・優先度 ${PRIORITY_LABELS[result.priority]}`;
  if (result.matches.length === 0) return `自動分類: ${chosen}（一致する語句なし）`;
  return `自動分類: ${chosen}（一致: ${result.matches.slice(0, 8).map(describeMatch).join('、')}）`;
}

function describeMatch(m: TriageMatch): string {
  const score = m.field === 'subject' ? m.weight * 2 : m.weight;
  return `「${m.term}」${m.field === 'subject' ? '件名' : '本文'}${score > 0 ? '+' : ''}${score}`;
}
