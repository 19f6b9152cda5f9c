import { CATEGORY_LABELS, CATEGORIES, Category } from '@kkd/consults';
import {
  allowedFaqActions, escapeHtml, FAQ_STATUS_LABELS, FAQ_STATUSES, FaqEntry, FaqSearchResult, FaqStatus, FaqVersion, parseJsonList, Replacement,
  REPLACEMENT_LABELS, TOKEN_PATTERN,
} from '@kkd/knowledge-base';
import { seesIdentity, StaffUser } from '@kkd/staff';

/** Pre-escaped HTML for a template: Handlebars inserts objects with toHTML() as they are. */
export class SafeHtml {
  constructor(private readonly html: string) {}
  toHTML(): string {
    return this.html;
  }
  toString(): string {
    return this.html;
  }
}

/** The text escaped, then each replacement token wrapped in <mark> (the reviewer's marked view). */
export function markedTokens(text: string): SafeHtml {
  const escaped = escapeHtml(text);
  // Tokens contain no character escapeHtml changes, so they are found unchanged in the escaped text.
  return new SafeHtml(escaped.replace(new RegExp(TOKEN_PATTERN.source, 'g'), (t) => `<mark class="token">${t}</mark>`).replace(/\n/g, '<br>'));
}

export const faqStatusTabs = (current: FaqStatus | undefined, counts: Record<FaqStatus, number>) =>
  FAQ_STATUSES.map((s) => ({ value: s, label: FAQ_STATUS_LABELS[s], count: counts[s], current: s === current }));

export const faqCategoryOptions = (selected: Category | undefined) =>
  CATEGORIES.map((c) => ({ value: c, label: CATEGORY_LABELS[c], selected: c === selected }));

export const faqListItem = (e: FaqEntry) => ({
  id: e.id, title: e.title, status: e.status, statusLabel: FAQ_STATUS_LABELS[e.status], category: e.category,
  liveVersion: e.liveVersion, updatedAt: e.updatedAt,
});

export const faqSearchItem = (r: FaqSearchResult) => ({
  id: r.id, version: r.version, category: r.category, publishedAt: r.publishedAt,
  title: new SafeHtml(r.highlight.title), snippet: new SafeHtml(r.highlight.answer),
});

const ACTION_BUTTONS = { submit: 'レビューを依頼', return: '下書きに戻す', publish: '公開する', archive: 'アーカイブ' } as const;
const MANAGER_ONLY = new Set(['return', 'publish', 'archive']);

/**
 * The entry page: the working copy with its tokens marked, what was replaced (originals only for
 * managers and admins, who may see member identity), what still identifies a member, versions.
 */
export function faqEntryPage(entry: FaqEntry, versions: FaqVersion[], findings: Replacement[], viewer: StaffUser, sourceNumber: number | null) {
  const seesOriginals = seesIdentity(viewer);
  const replaced = parseJsonList<Replacement>(entry.replacements);
  const countByKind = new Map<string, number>();
  for (const r of replaced) countByKind.set(REPLACEMENT_LABELS[r.kind], (countByKind.get(REPLACEMENT_LABELS[r.kind]) ?? 0) + 1);
  return {
    entry: {
      id: entry.id, title: entry.title, status: entry.status, statusLabel: FAQ_STATUS_LABELS[entry.status], category: entry.category,
      liveVersion: entry.liveVersion, updatedAt: entry.updatedAt, sourceNumber,
      markedTitle: markedTokens(entry.title), markedQuestion: markedTokens(entry.question), markedAnswer: markedTokens(entry.answer),
    },
    replacementSummary: [...countByKind].map(([label, count]) => ({ label, count })),
    replacements: seesOriginals ? replaced.map((r) => ({ label: REPLACEMENT_LABELS[r.kind], original: r.original, token: r.token })) : [],
    seesOriginals,
    findings: [...new Set(findings.map((f) => REPLACEMENT_LABELS[f.kind]))],
    versions: versions.map((v) => ({ version: v.version, title: v.title, publishedAt: v.publishedAt, live: v.version === entry.liveVersion })),
    actions: allowedFaqActions(entry.status)
      .filter((a) => viewer.role !== 'expert' || !MANAGER_ONLY.has(a))
      .map((a) => ({ action: a, label: ACTION_BUTTONS[a as keyof typeof ACTION_BUTTONS] })),
    canRedraft: sourceNumber !== null && (entry.status === 'draft' || entry.status === 'review'),
    keepText: parseJsonList<string>(entry.keepTerms).join('\n'),
  };
}
