import { CATEGORIES, CATEGORY_LABELS, Category, CONSULT_STATUSES, ConsultStatus } from '@kkd/consults';
import type { CannedReplyChoice } from '@kkd/replies';

/** The reply draft as typed, kept when the consult page is shown again (any post of the reply form). */
export function keptDraft(body: unknown): { replyBody: string; replyTemplateIds: string; replyStatus?: ConsultStatus } {
  const form = (body ?? {}) as Record<string, unknown>;
  const text = (v: unknown) => (typeof v === 'string' ? v : '');
  const status = text(form.status);
  return {
    replyBody: text(form.body),
    replyTemplateIds: /^(\d{1,9}(,\d{1,9}){0,19})?$/.test(text(form.cannedReplyIds)) ? text(form.cannedReplyIds) : '',
    ...((CONSULT_STATUSES as readonly string[]).includes(status) ? { replyStatus: status as ConsultStatus } : {}),
  };
}

/** The ids in the draft's hidden field. */
export const templateIdsOf = (ids: string | undefined): number[] => (ids ? ids.split(',').map(Number).filter((n) => n > 0) : []);

/** The hidden field after one more template was inserted (each id once, the newest last, at most 20). */
export const withTemplateId = (ids: string | undefined, id: number): string =>
  [...templateIdsOf(ids).filter((n) => n !== id), id].slice(-20).join(',');

/**
 * The reply form's template choice: the consult's own category first, then the common ones, then
 * the other categories (an expert may still want one of those).
 */
export function templateGroups(rows: CannedReplyChoice[], category: Category) {
  const item = (r: CannedReplyChoice) => ({ id: r.id, title: r.title });
  const groups = [
    { label: `この相談の分類（${CATEGORY_LABELS[category]}）`, items: rows.filter((r) => r.category === category).map(item) },
    { label: '共通（すべての分類）', items: rows.filter((r) => r.category === null).map(item) },
    ...CATEGORIES.filter((c) => c !== category).map((c) => ({ label: CATEGORY_LABELS[c], items: rows.filter((r) => r.category === c).map(item) })),
  ];
  return groups.filter((g) => g.items.length > 0);
}

/** The reply mail as composed for sending, shown with plain line breaks. */
export function replyPreviewView(preview: { subject: string; bodyText: string }) {
  return { subject: preview.subject, text: preview.bodyText.replace(/\r\n/g, '\n') };
}
