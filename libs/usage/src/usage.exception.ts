import { DomainError } from '@kkd/core';

/** A closed month takes no decisions until a manager reopens it. */
export class UsageMonthClosedError extends DomainError {
  constructor(readonly month: string) {
    super('usage.month_closed', `${month} は締め済みです。判定を変更するには、理由を記録して再開してください。`, { month, field: 'month' });
  }
}

/** Close, reopen or decide refused by the month's state or the consult's (not a candidate, month not over…). */
export class UsageRefusedError extends DomainError {
  constructor(message: string, field = 'month') {
    super('usage.refused', message, { field });
  }
}
