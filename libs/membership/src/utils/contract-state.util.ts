import { Member, MemberStatus } from '../entities/member.entity';

/** A contract's state as intake treats the member's mail: a stored status, or an active term not begun yet. */
export type ContractState = MemberStatus | 'not_started';

/**
 * A contract's state on a Japan calendar day (YYYY-MM-DD), as intake treats the member's mail that
 * arrives that day: a noticed cancellation whose day has come (`cancellationOn`, art. 14) is in
 * effect even before the sweep applies it; an active term that is over is expired (art. 8, no
 * renewal; held as contract_expired even before the sweep records it), one that has not begun is
 * not active yet (held as contract_not_started). Any other status is as stored.
 */
export function contractStateOn(member: Pick<Member, 'status' | 'contractStart' | 'contractEnd'>, today: string, cancellationOn: string | null = null): ContractState {
  // Cancellation wins over expiry, as in the sweep (which applies cancellations first).
  if (cancellationOn !== null && cancellationOn <= today) return 'cancelled';
  if (member.status !== 'active') return member.status;
  if (member.contractEnd < today) return 'expired';
  if (today < member.contractStart) return 'not_started';
  return 'active';
}
