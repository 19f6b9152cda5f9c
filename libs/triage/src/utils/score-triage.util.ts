import { Category, Priority, CATEGORIES, PRIORITIES } from '@kkd/consults';
import { normalizeForMatch } from './normalize-text.util';

export interface TriageRule {
  term: string;
  category: Category | null;
  priority: Priority | null;
  weight: number;
}

export interface TriageMatch {
  term: string;
  field: 'subject' | 'body';
  category: Category | null;
  priority: Priority | null;
  weight: number;
}

export interface TriageResult {
  category: Category;
  priority: Priority;
  matches: TriageMatch[];
}

declare const compiledBrand: unique symbol;
/** Rules prepared once by compileTriageRules; cache and reuse it for every mail. */
export interface CompiledTriageRules {
  readonly [compiledBrand]: true;
}

interface CompiledRule {
  rule: TriageRule;
  needle: string;
  wholeWord: boolean;
}

const WORD_TERM = /^[a-z0-9 -]+$/;
/** The levels any evidence of which outranks 'low' (see scoreTriage). */
const ABOVE_LOW: readonly Priority[] = PRIORITIES.filter((p) => p !== 'low');
// A word is bounded by anything but a Latin letter or a digit, so kana and kanji next to an
// ASCII word count as boundaries ("ddos攻撃") and accented letters do not ("café").
const WORD_CHAR = /[\p{Script=Latin}0-9]/u;

/**
 * Normalises every term once. A rule that cannot count is left out rather than failing the
 * whole set (rows are validated when saved; one stale row must not stop triage of every mail):
 * an empty term after normalisation, a category or priority outside the vocabulary, a weight
 * that is not an integer.
 */
export function compileTriageRules(rules: TriageRule[]): CompiledTriageRules {
  const compiled: CompiledRule[] = [];
  for (const rule of rules) {
    const needle = normalizeForMatch(rule.term);
    if (!needle || !Number.isInteger(rule.weight)) continue;
    if (rule.category !== null && !CATEGORIES.includes(rule.category)) continue;
    if (rule.priority !== null && !PRIORITIES.includes(rule.priority)) continue;
    compiled.push(Object.freeze({ rule: Object.freeze({ ...rule }), needle, wholeWord: WORD_TERM.test(needle) && /[a-z0-9]/.test(needle) }));
  }
  return Object.freeze(compiled) as unknown as CompiledTriageRules;
}

/**
 * Category and priority of a mail from weighted terms. A rule counts once: weight×2 when its term
 * is in the subject, else weight×1 when in the body. The category (and the priority) with the
 * highest positive total wins; ties go to the earlier category in CATEGORIES and to the more
 * urgent priority; nothing positive gives 'general' / 'normal'. 'low' is the exception: it wins
 * only when no other level has a positive total, so polite question words (教えてください, ご教示)
 * never outvote words saying an incident has happened. Cost: one normalisation of the input and
 * one indexOf scan per rule.
 */
export function scoreTriage(compiled: CompiledTriageRules, input: { subject: string; body: string }): TriageResult {
  const subject = normalizeForMatch(input.subject);
  const body = normalizeForMatch(input.body);
  const categoryTotals = new Map<Category, number>();
  const priorityTotals = new Map<Priority, number>();
  const scored: { match: TriageMatch; score: number }[] = [];

  for (const { rule, needle, wholeWord } of compiled as unknown as readonly CompiledRule[]) {
    const field = contains(subject, needle, wholeWord) ? 'subject' : contains(body, needle, wholeWord) ? 'body' : null;
    if (!field) continue;
    const score = field === 'subject' ? rule.weight * 2 : rule.weight;
    if (rule.category) categoryTotals.set(rule.category, (categoryTotals.get(rule.category) ?? 0) + score);
    if (rule.priority) priorityTotals.set(rule.priority, (priorityTotals.get(rule.priority) ?? 0) + score);
    scored.push({ match: { term: rule.term, field, category: rule.category, priority: rule.priority, weight: rule.weight }, score });
  }

  // Array.prototype.sort is stable, so equal rules keep their order in the rule set.
  scored.sort((a, b) => b.score - a.score || compareText(a.match.term, b.match.term));
  return {
    category: best(CATEGORIES, categoryTotals) ?? 'general',
    priority: best(ABOVE_LOW, priorityTotals) ?? best(['low'], priorityTotals) ?? 'normal',
    matches: scored.map((s) => s.match),
  };
}

/** The first code with the highest positive total, walking the vocabulary in its order. */
function best<T extends string>(order: readonly T[], totals: Map<T, number>): T | null {
  let winner: T | null = null;
  let top = 0;
  for (const code of order) {
    const total = totals.get(code) ?? 0;
    if (total > top) [winner, top] = [code, total];
  }
  return winner;
}

function contains(text: string, needle: string, wholeWord: boolean): boolean {
  for (let at = text.indexOf(needle); at !== -1; at = text.indexOf(needle, at + 1)) {
    if (!wholeWord) return true;
    if (!isWordChar(text[at - 1]) && !isWordChar(text[at + needle.length])) return true;
  }
  return false;
}

function isWordChar(char: string | undefined): boolean {
  return char !== undefined && WORD_CHAR.test(char);
}

// Code-unit order, not locale order: the same on every server, whatever its ICU data.
function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
