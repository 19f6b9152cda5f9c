import { addDays } from '@kkd/calendar';
import { MemberStatus } from '../entities/member.entity';

/** A member's notice of cancellation takes effect no earlier than this many days after it reached the secretariat (art. 14). */
export const CANCELLATION_NOTICE_DAYS = 30;
/** Reminders to the secretariat before a contract's end, largest first (each sent once per term). */
export const REMINDER_DAYS = [60, 30] as const;
export type ReminderDays = (typeof REMINDER_DAYS)[number];

export type ContractAction = 'suspend' | 'resume' | 'cancel' | 'expire';

/** The earliest date a member's cancellation may take effect: notice date + 30 days. */
export function earliestCancellationOn(noticeOn: string): string {
  return addDays(noticeOn, CANCELLATION_NOTICE_DAYS);
}

/**
 * When a member's cancellation takes effect: the date they asked for, but never before the notice
 * period ends (art. 14); without a requested date, at the end of the notice period.
 */
export function cancellationEffectiveOn(noticeOn: string, requestedOn: string | null): { effectiveOn: string; movedLater: boolean } {
  const earliest = earliestCancellationOn(noticeOn);
  if (!requestedOn) return { effectiveOn: earliest, movedLater: false };
  return requestedOn < earliest ? { effectiveOn: earliest, movedLater: true } : { effectiveOn: requestedOn, movedLater: false };
}

/** The day a contract is expired: the day after its last day (not renewed automatically, art. 8). */
export function expiresOn(contractEnd: string): string {
  return addDays(contractEnd, 1);
}

/** True once the term is over on `today` (a Japan calendar date). */
export function isPastTerm(contractEnd: string, today: string): boolean {
  return today > contractEnd;
}

/**
 * The reminder due on `today` for a term ending on `contractEnd`: the latest stage reached (30 days
 * wins over 60, so a scheduler that was down for weeks sends one useful reminder, not two), or
 * null before 60 days and after the last day.
 */
export function reminderDue(contractEnd: string, today: string): ReminderDays | null {
  if (today > contractEnd) return null;
  for (const days of [...REMINDER_DAYS].sort((a, b) => a - b)) {
    if (today >= addDays(contractEnd, -days)) return days;
  }
  return null;
}

/**
 * The state a contract moves to, or an error message (Japanese, shown to the admin) when the
 * change is not allowed from `from`. Cancellation is final (the account is invalidated, art. 38).
 */
export function nextStatus(from: MemberStatus, action: ContractAction, termOver: boolean): { to: MemberStatus } | { error: string } {
  switch (action) {
    case 'suspend':
      return from === 'active' ? { to: 'suspended' } : { error: '有効な契約だけを中断できます。' };
    case 'resume':
      if (from !== 'suspended' && from !== 'expired') return { error: '中断中または期間満了の契約だけを再開できます。' };
      return termOver ? { error: '契約期間が終わっています。先に契約期間を更新してください。' } : { to: 'active' };
    case 'cancel':
      return from === 'cancelled' ? { error: 'この契約はすでに解約されています。' } : { to: 'cancelled' };
    case 'expire':
      return from === 'active' || from === 'suspended' ? { to: 'expired' } : { error: '有効または中断中の契約だけが期間満了になります。' };
  }
}

/** The console action a status change stands for (members:import names the new status, not the action). */
const ACTION_TO: Record<MemberStatus, ContractAction> = { active: 'resume', suspended: 'suspend', cancelled: 'cancel', expired: 'expire' };

/**
 * A status change asked by members:import, under the same rules as the console's changes
 * (nextStatus): null when the status stays, the action to record, or why it is refused (English,
 * as the command's other messages). Cancellation is final: a new contract needs a new club ID.
 */
export function importedStatusChange(from: MemberStatus, to: MemberStatus, termOver: boolean): { action: ContractAction; to: MemberStatus } | { error: string } | null {
  if (from === to) return null;
  if (from === 'cancelled') {
    return { error: 'the contract was cancelled and cannot be reopened by import (cancellation is final, terms art. 38); a new contract needs a new club ID' };
  }
  const action = ACTION_TO[to];
  const result = nextStatus(from, action, termOver);
  if ('error' in result) return { error: `cannot change ${from} to ${to}: ${result.error}` };
  return { action, to: result.to };
}
