import { contractEndFor } from './calendar-date.util';
import { cancellationEffectiveOn, earliestCancellationOn, expiresOn, importedStatusChange, nextStatus, reminderDue } from './contract-rules.util';

describe('contract term (art. 8: one year from the start, not renewed)', () => {
  it.each([
    ['leap day start', '2024-02-29', '2025-02-28', '2025-03-01'],
    ['start on 1 March before a leap February', '2027-03-01', '2028-02-29', '2028-03-01'],
    ['start at a month end', '2026-01-31', '2027-01-30', '2027-01-31'],
    ['start on 1 January', '2026-01-01', '2026-12-31', '2027-01-01'],
    ['start on 31 December', '2026-12-31', '2027-12-30', '2027-12-31'],
  ])('%s: %s ends %s, expired from %s', (_name, start, end, expired) => {
    expect(contractEndFor(start)).toBe(end);
    expect(expiresOn(end)).toBe(expired);
  });
});

describe('cancellation notice period (art. 14: no earlier than 30 days after the notice)', () => {
  it.each([
    ['the issue example', '2026-11-25', null, '2026-12-25', false],
    ['requested too early: moved to the earliest date', '2026-11-25', '2026-12-01', '2026-12-25', true],
    ['requested on the earliest date', '2026-11-25', '2026-12-25', '2026-12-25', false],
    ['requested later than the period', '2026-11-25', '2027-03-31', '2027-03-31', false],
    ['across a year end', '2026-12-15', null, '2027-01-14', false],
    ['across February in a leap year', '2028-02-01', null, '2028-03-02', false],
    ['across February in a common year', '2027-02-01', null, '2027-03-03', false],
    ['from a month end', '2026-01-31', null, '2026-03-02', false],
  ])('%s: notice %s, requested %s → %s', (_name, notice, requested, effective, moved) => {
    expect(cancellationEffectiveOn(notice, requested)).toEqual({ effectiveOn: effective, movedLater: moved });
  });

  it('the earliest date is exactly 30 days on', () => expect(earliestCancellationOn('2026-11-25')).toBe('2026-12-25'));
});

describe('reminders before the end of a term', () => {
  it.each([
    ['61 days before', '2027-03-31', '2027-01-29', null],
    ['60 days before', '2027-03-31', '2027-01-30', 60],
    ['45 days before', '2027-03-31', '2027-02-14', 60],
    ['30 days before', '2027-03-31', '2027-03-01', 30],
    ['on the last day', '2027-03-31', '2027-03-31', 30],
    ['after the last day', '2027-03-31', '2027-04-01', null],
    ['leap year: 60 days before 2028-02-29', '2028-02-29', '2027-12-31', 60],
    ['leap year: 30 days before 2028-02-29', '2028-02-29', '2028-01-30', 30],
    ['leap year: 31 days before 2028-02-29', '2028-02-29', '2028-01-29', 60],
  ])('%s (end %s, today %s) → %s', (_name, end, today, due) => expect(reminderDue(end, today)).toBe(due));
});

describe('state changes', () => {
  it.each([
    ['active', 'suspend', false, 'suspended'],
    ['suspended', 'resume', false, 'active'],
    ['expired', 'resume', false, 'active'],
    ['active', 'cancel', false, 'cancelled'],
    ['suspended', 'cancel', false, 'cancelled'],
    ['expired', 'cancel', true, 'cancelled'],
    ['active', 'expire', true, 'expired'],
    ['suspended', 'expire', true, 'expired'],
  ] as const)('%s + %s → %s', (from, action, termOver, to) => expect(nextStatus(from, action, termOver)).toEqual({ to }));

  it.each([
    ['suspended', 'suspend', false],
    ['cancelled', 'resume', false],
    ['suspended', 'resume', true],
    ['cancelled', 'cancel', false],
    ['cancelled', 'expire', true],
    ['expired', 'expire', true],
  ] as const)('%s + %s is refused', (from, action, termOver) => expect(nextStatus(from, action, termOver)).toHaveProperty('error'));
});

describe('status changes asked by members:import (the console rules)', () => {
  it.each([
    ['active', 'suspended', false, 'suspend'],
    ['suspended', 'active', false, 'resume'],
    ['expired', 'active', false, 'resume'],
    ['active', 'cancelled', false, 'cancel'],
    ['suspended', 'cancelled', true, 'cancel'],
    ['active', 'expired', true, 'expire'],
  ] as const)('%s → %s (term over: %s) is recorded as %s', (from, to, termOver, action) => {
    expect(importedStatusChange(from, to, termOver)).toEqual({ action, to });
  });

  it.each(['active', 'suspended', 'expired'] as const)('never reopens a cancelled contract as %s', (to) => {
    expect(importedStatusChange('cancelled', to, false)).toEqual({ error: expect.stringContaining('cannot be reopened by import') });
  });

  it.each([
    ['a resume after the term is over', 'suspended', 'active', true],
    ['a suspension of an expired contract', 'expired', 'suspended', false],
  ] as const)('refuses %s', (_name, from, to, termOver) => {
    expect(importedStatusChange(from, to, termOver)).toEqual({ error: expect.stringContaining(`cannot change ${from} to ${to}`) });
  });

  it('is no change when the status stays', () => {
    expect(importedStatusChange('cancelled', 'cancelled', false)).toBeNull();
    expect(importedStatusChange('active', 'active', true)).toBeNull();
  });
});
