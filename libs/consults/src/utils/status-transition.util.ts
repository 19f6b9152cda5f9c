import { ConsultStatus } from '../consult-codes';

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
