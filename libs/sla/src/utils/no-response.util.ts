import { SLA_LABELS, SlaState } from '@kkd/consults';

/** What decides whether a consult ended without a response: its waiting due time and first response. */
export interface ResponseFacts {
  dueAt: Date | null;
  firstResponseAt: Date | null;
}

/** The SLA report's 回答不要で終了, also the console's label for such a consult. */
export const NO_RESPONSE_LABEL = '回答不要で終了';

/**
 * True when no staff reply was ever sent and nothing waits any more: the consult was resolved,
 * closed or merged into another one without needing a response. The SLA report counts it as
 * noResponse, outside the on-time rate.
 */
export function endedWithoutResponse(facts: ResponseFacts): boolean {
  return !facts.firstResponseAt && !facts.dueAt;
}

/**
 * The console's SLA badge: the state's label, or 回答不要で終了 where the report says so (the
 * stored state of such a consult is `met`, which would read 期限内に回答).
 */
export function slaBadge(state: SlaState, facts: ResponseFacts): { kind: SlaState | 'no_response'; label: string } {
  return endedWithoutResponse(facts) ? { kind: 'no_response', label: NO_RESPONSE_LABEL } : { kind: state, label: SLA_LABELS[state] };
}
