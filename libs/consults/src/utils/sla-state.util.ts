import { SlaState } from '../consult-codes';

export interface SlaFacts {
  firstDueAt: Date | null;
  dueAt: Date | null;
  firstResponseAt: Date | null;
}

/** Less than one business day (8 business hours) left counts as at risk, unless configured. */
export const AT_RISK_BUSINESS_MINUTES = 8 * 60;

/**
 * The consult's SLA state at `now`. A message still waiting decides (on_track / at_risk /
 * breached); otherwise the first response against the contractual first due time.
 * `businessMinutesLeft` is the business time from now to the waiting due.
 */
export function slaState(
  facts: SlaFacts, now: Date, businessMinutesLeft: (from: Date, to: Date) => number, atRiskMinutes = AT_RISK_BUSINESS_MINUTES,
): SlaState {
  if (facts.dueAt) {
    if (now.getTime() > facts.dueAt.getTime()) return 'breached';
    return businessMinutesLeft(now, facts.dueAt) < atRiskMinutes ? 'at_risk' : 'on_track';
  }
  if (facts.firstResponseAt && facts.firstDueAt && facts.firstResponseAt.getTime() > facts.firstDueAt.getTime()) return 'met_late';
  return 'met';
}
