import { formatJst } from '@kkd/core';
import { basisPointsToPercent, ConsultUsage, HistoryRow, MonthUsage, UsageSettings } from '@kkd/usage';
import { FieldErrors } from './form-validation.util';

const yen = (n: number) => `${n.toLocaleString('ja-JP')}円`;
export const DECISION_LABELS: Record<string, string> = { billable: '請求対象', waived: '免除' };
const STATE_LABELS: Record<MonthUsage['state'], string> = { open: '未締め', closed: '締め済み', reopened: '再開中' };

/** Candidates shown per page (a busy month has thousands). */
export const CANDIDATES_PER_PAGE = 100;
export const CANDIDATE_FILTERS = ['all', 'undecided', 'billable', 'waived'] as const;
export type CandidateFilter = (typeof CANDIDATE_FILTERS)[number];
const FILTER_LABELS: Record<CandidateFilter, string> = { all: 'すべて', undecided: '未判定', billable: '請求対象', waived: '免除' };

/** Which candidates the page lists: a filter by decision and a page number (read leniently). */
export interface CandidateView {
  show: CandidateFilter;
  page: number;
}

export function candidateView(show: string | undefined, page: string | undefined): CandidateView {
  return {
    show: (CANDIDATE_FILTERS as readonly string[]).includes(show ?? '') ? (show as CandidateFilter) : 'all',
    page: Math.max(1, Number.parseInt(page ?? '1', 10) || 1),
  };
}

/** The page's address for a month and candidate view. */
export function usageLink(month: string, view: CandidateView, anchor = ''): string {
  const params = new URLSearchParams({ month });
  if (view.show !== 'all') params.set('show', view.show);
  if (view.page > 1) params.set('page', String(view.page));
  return `/usage?${params}${anchor}`;
}

/** What a failed post keeps: the field errors and what was typed, by form. */
export interface UsagePageForms {
  decision?: { consultNumber: number; decision: string; reason: string; errors: FieldErrors };
  reopen?: { reason: string; errors: FieldErrors };
  close?: { errors: FieldErrors };
  settings?: { values: Record<string, string>; errors: FieldErrors };
}

export function usagePage(usage: MonthUsage, settings: UsageSettings, history: HistoryRow[], settingsHistory: HistoryRow[], view: CandidateView, forms: UsagePageForms) {
  const editable = usage.state !== 'closed';
  const typed = forms.decision;
  const filtered = usage.candidates.filter((c) => view.show === 'all' || (view.show === 'undecided' ? !c.decision : c.decision === view.show));
  const pages = Math.max(1, Math.ceil(filtered.length / CANDIDATES_PER_PAGE));
  const page = Math.min(view.page, pages);
  const shown = filtered.slice((page - 1) * CANDIDATES_PER_PAGE, page * CANDIDATES_PER_PAGE);
  return {
    month: usage.month, stateLabel: STATE_LABELS[usage.state], isClosed: usage.state === 'closed', isReopened: usage.state === 'reopened',
    canClose: usage.state !== 'closed' && usage.isOver, editable,
    threshold: usage.threshold, unitPrice: yen(usage.unitPriceYen), taxRate: `${basisPointsToPercent(usage.taxRateBp)}%`,
    closedAt: usage.closedAt ? formatJst(usage.closedAt) : null, closedBy: usage.closedAt ? usage.closedBy ?? '自動（スケジューラ）' : null,
    reopenedAt: usage.reopenedAt ? formatJst(usage.reopenedAt) : null, reopenedBy: usage.reopenedBy, reopenReason: usage.reopenReason,
    totals: {
      members: usage.members.length, consults: usage.members.reduce((s, m) => s + m.count, 0), candidates: usage.candidates.length,
      undecided: usage.candidates.filter((c) => !c.decision).length, billable: usage.candidates.filter((c) => c.decision === 'billable').length,
    },
    members: usage.members.map((m) => ({ ...m, displayName: `${m.nickname} ${m.clubId}` })),
    show: view.show, page, pages, filteredCount: filtered.length,
    filters: CANDIDATE_FILTERS.map((f) => ({ label: FILTER_LABELS[f], href: usageLink(usage.month, { show: f, page: 1 }, '#candidates'), current: f === view.show })),
    prevPage: page > 1 ? usageLink(usage.month, { show: view.show, page: page - 1 }, '#candidates') : null,
    nextPage: page < pages ? usageLink(usage.month, { show: view.show, page: page + 1 }, '#candidates') : null,
    candidates: shown.map((c) => {
      const mine = typed?.consultNumber === c.number ? typed : undefined;
      const decision = mine ? mine.decision : c.decision ?? '';
      return {
        number: c.number, member: `${c.nickname} ${c.clubId}`, receivedAt: formatJst(c.receivedAt), ordinal: c.ordinal,
        decisionLabel: c.decision ? DECISION_LABELS[c.decision] : '未判定', decided: !!c.decision, decisionClass: c.decision ?? 'undecided',
        reason: c.reason, decidedAt: c.decidedAt ? formatJst(c.decidedAt) : null, decidedBy: c.decidedBy,
        billableChecked: decision === 'billable', waivedChecked: decision === 'waived',
        typedReason: mine ? mine.reason : c.reason ?? '', errors: mine?.errors ?? null, errorMessages: mine ? Object.values(mine.errors) : [],
      };
    }),
    // A decision refused in a closed month: its row has no form to show the message beside.
    lockedDecisionErrors: !editable && typed ? Object.values(typed.errors) : [],
    history: history.map(historyItem), settingsHistory: settingsHistory.map(historyItem),
    settingsForm: forms.settings?.values ?? {
      threshold: String(settings.threshold), notice: settings.notice, unitPrice: String(settings.unitPriceYen), taxRate: basisPointsToPercent(settings.taxRateBp),
    },
    settingsErrors: forms.settings?.errors ?? null,
    reopenTyped: forms.reopen?.reason ?? '', reopenErrors: forms.reopen?.errors ?? null, closeErrors: forms.close?.errors ?? null,
  };
}

function historyItem(h: HistoryRow) {
  return {
    occurredAt: formatJst(h.occurredAt), actor: h.actor ?? (h.kind === 'close' ? '自動（スケジューラ）' : '—'), summary: h.summary, reason: h.reason,
    what: h.kind === 'decision' ? DECISION_LABELS[h.decision ?? ''] ?? h.decision : ({ close: '締め', reopen: '再開', settings: '設定変更' } as Record<string, string>)[h.kind] ?? h.kind,
  };
}

/** The usage facts the consult page and the queue show. */
export function consultUsageItem(u: ConsultUsage | undefined) {
  if (!u) return null;
  return {
    month: u.month, ordinal: u.ordinal, billingCandidate: u.billingCandidate,
    decisionLabel: u.billingCandidate ? (u.decision ? DECISION_LABELS[u.decision] : '未判定') : null,
  };
}
