import type { UsageDecisionKind } from './entities/usage-decision.entity';

export interface UsageSettings {
  threshold: number;
  notice: string;
  unitPriceYen: number;
  /** Consumption tax in basis points (10% = 1000). */
  taxRateBp: number;
}

/** The settings form as typed (all text; the tax rate as a percentage such as "10" or "10.5"). */
export interface UsageSettingsInput {
  threshold: string;
  notice: string;
  unitPrice: string;
  taxRate: string;
}

/** Where one consult stands in its month (the consult page, the queue and the API show it). */
export interface ConsultUsage {
  month: string;
  /** 1 for the member's first consult of the month; null for a merged duplicate (not counted). */
  ordinal: number | null;
  billingCandidate: boolean;
  decision: UsageDecisionKind | null;
}

export interface UsageCandidate {
  consultId: number;
  number: number;
  memberId: number;
  clubId: string;
  nickname: string;
  receivedAt: Date;
  ordinal: number;
  decision: UsageDecisionKind | null;
  reason: string | null;
  decidedAt: Date | null;
  decidedBy: string | null;
}

export interface MemberUsage {
  memberId: number;
  clubId: string;
  nickname: string;
  count: number;
  candidates: number;
  billable: number;
  waived: number;
  undecided: number;
}

export type UsageMonthState = 'open' | 'closed' | 'reopened';

export interface MonthUsage {
  month: string;
  state: UsageMonthState;
  /** The month is over in Japan (it can be closed). */
  isOver: boolean;
  threshold: number;
  unitPriceYen: number;
  taxRateBp: number;
  closedAt: Date | null;
  closedBy: string | null;
  reopenedAt: Date | null;
  reopenedBy: string | null;
  reopenReason: string | null;
  /** Members with at least one counted consult, by club ID. */
  members: MemberUsage[];
  /** Candidates by club ID, then ordinal. */
  candidates: UsageCandidate[];
}

export interface DecisionInput {
  consultNumber: number;
  decision: UsageDecisionKind;
  reason?: string | null;
}
