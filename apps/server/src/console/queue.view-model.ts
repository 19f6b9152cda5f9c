import {
  CATEGORIES, CATEGORY_LABELS, Category, CONSULT_STATUSES, ConsultListQuery, ConsultStatus, PRIORITIES, PRIORITY_LABELS, Priority, STATUS_LABELS,
} from '@kkd/consults';
import { ConsultHighlight } from '@kkd/consults';
import { excerptHtml } from '@kkd/core';
import { StaffUser } from '@kkd/staff';
import { SafeHtml } from './faq.view-model';
import { pageNumber } from './page-number.util';

export const QUEUE_VIEWS = ['mine', 'unassigned', 'at_risk', 'breached', 'all'] as const;
export type QueueView = (typeof QUEUE_VIEWS)[number];
export const VIEW_LABELS: Record<QueueView, string> = {
  mine: '自分の担当', unassigned: '未割当', at_risk: '期限間近', breached: '期限超過', all: 'すべて',
};

type Order = ConsultListQuery['order'];
interface QueueFilters {
  status?: ConsultStatus;
  category?: Category;
  priority?: Priority;
  /** Staff id, or null for unassigned (the すべて view's expert filter). */
  assigneeId?: number | null;
  /** A consult number (KKD#12, #12, 12) or words of the subject and messages (the search box). */
  q?: string;
}
export interface QueueQuery {
  view: QueueView;
  filters: QueueFilters;
  order: Order;
  /** False when the order is the default (best match first when searching, else the view's). */
  orderChosen: boolean;
  page: number;
}

const pick = <T extends string>(values: readonly T[], value: string | undefined): T | undefined =>
  (values as readonly string[]).includes(value ?? '') ? (value as T) : undefined;

/**
 * The queue's query string, read leniently (a stale link shows the default view, not an error).
 * `sla=at_risk|breached` (older links and the API's name) selects those views.
 */
export function queueQuery(query: Record<string, string | undefined>): QueueQuery {
  const view = pick(QUEUE_VIEWS, query.view) ?? pick(['at_risk', 'breached'] as const, query.sla) ?? 'all';
  const assignee = query.assignee === 'none' ? null : /^\d+$/.test(query.assignee ?? '') ? Number(query.assignee) : undefined;
  const q = query.q?.trim() ? query.q.trim().slice(0, 200) : undefined;
  // A search reads best by relevance; views about work to do by due time; すべて by arrival.
  const chosen = pick(['newest', 'oldest', 'due', 'relevance'] as const, query.order);
  const order = chosen === 'relevance' && !q ? undefined : chosen;
  return {
    view, order: order ?? (q ? 'relevance' : view === 'all' ? 'newest' : 'due'), orderChosen: order !== undefined,
    // Capped so a hand-typed huge number stays a valid OFFSET (the controller then goes to the last page).
    page: pageNumber(query.page),
    filters: {
      status: pick(CONSULT_STATUSES, query.status), category: pick(CATEGORIES, query.category), priority: pick(PRIORITIES, query.priority),
      ...(assignee !== undefined ? { assigneeId: assignee } : {}),
      ...(q ? { q } : {}),
    },
  };
}

/** What each view shows; a view's own condition wins over the expert filter. */
export function viewFilter(view: QueueView, user: StaffUser): Partial<ConsultListQuery> {
  switch (view) {
    case 'mine': return { assigneeId: user.id, openOnly: true };
    case 'unassigned': return { assigneeId: null, openOnly: true };
    case 'at_risk': return { sla: 'at_risk' };
    case 'breached': return { sla: 'breached' };
    case 'all': return {};
  }
}

export function queueLink(q: QueueQuery, page: number): string {
  const f = q.filters;
  const params = new URLSearchParams({ view: q.view });
  if (f.status) params.set('status', f.status);
  if (f.category) params.set('category', f.category);
  if (f.priority) params.set('priority', f.priority);
  if (f.assigneeId !== undefined) params.set('assignee', f.assigneeId === null ? 'none' : String(f.assigneeId));
  if (f.q) params.set('q', f.q);
  if (q.orderChosen) params.set('order', q.order);
  params.set('page', String(page));
  return `/consults?${params}`;
}

export function filterOptions(f: QueueFilters, staff: StaffUser[]) {
  return {
    statuses: CONSULT_STATUSES.map((s) => ({ value: s, label: STATUS_LABELS[s], selected: s === f.status })),
    categories: CATEGORIES.map((c) => ({ value: c, label: CATEGORY_LABELS[c], selected: c === f.category })),
    priorities: PRIORITIES.map((p) => ({ value: p, label: PRIORITY_LABELS[p], selected: p === f.priority })),
    experts: staff.map((u) => ({ value: String(u.id), label: u.name, selected: u.id === f.assigneeId })),
    unassignedSelected: f.assigneeId === null,
    q: f.q ?? '',
  };
}

/**
 * The order select: 既定 (best match first when searching, else the view's order) unless one was
 * chosen, so that typing a search on any page ranks by relevance.
 */
export function orderOptions(q: QueueQuery) {
  const choices: { value: Order; label: string }[] = [
    { value: 'due', label: '回答期限が近い順' }, { value: 'newest', label: '新しい順' }, { value: 'oldest', label: '古い順' },
    ...(q.filters.q ? [{ value: 'relevance' as const, label: '関連度順' }] : []),
  ];
  return {
    defaultSelected: !q.orderChosen,
    choices: choices.map((c) => ({ ...c, selected: q.orderChosen && c.value === q.order })),
  };
}

/**
 * A search hit's subject and snippet as HTML (as indexed: the member's identity masked), the text
 * escaped, then <mark> around each match; no subject while the consult is not indexed yet.
 */
export function queueHighlight(h: ConsultHighlight | undefined) {
  if (!h) return {};
  return { subjectHtml: h.subject ? new SafeHtml(excerptHtml(h.subject)) : null, snippetHtml: h.snippet ? new SafeHtml(excerptHtml(h.snippet)) : null };
}
