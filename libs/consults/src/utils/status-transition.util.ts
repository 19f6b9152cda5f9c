import { ConsultStatus, STATUS_LABELS } from '../consult-codes';

// A consult never goes back to "new": that state means nobody on staff has touched it yet.
const ALLOWED: Record<ConsultStatus, ConsultStatus[]> = {
  new: ['open', 'waiting_member', 'resolved', 'closed'],
  open: ['waiting_member', 'resolved', 'closed'],
  waiting_member: ['open', 'resolved', 'closed'],
  resolved: ['open', 'closed'],
  closed: ['open'],
};

export function canTransition(from: ConsultStatus, to: ConsultStatus): boolean {
  return from === to || ALLOWED[from].includes(to);
}

/** The state after a member writes again: the consult waits for us (reopened if it was done). */
export function statusAfterMemberMail(current: ConsultStatus): ConsultStatus {
  return current === 'new' ? 'new' : 'open';
}

/** Who moved a consult's status: a staff member (by the form or a reply), the member's mail, or a merge. */
export type StatusChangeCause = { staff: string; by?: 'reply' | 'merge' } | 'member_mail';

/** The timeline line of a status change, in the console's words: from → to and who. */
export function statusChangeSummary(from: ConsultStatus, to: ConsultStatus, cause: StatusChangeCause): string {
  const change = `${STATUS_LABELS[from]} → ${STATUS_LABELS[to]}`;
  if (cause === 'member_mail') return `会員のメールにより状態を変更: ${change}`;
  const how = cause.by === 'reply' ? '回答により' : cause.by === 'merge' ? '統合により' : '';
  return `${how}状態を変更: ${change}（${cause.staff}）`;
}
