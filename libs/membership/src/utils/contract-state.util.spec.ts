import { contractStateOn } from './contract-state.util';

describe('contractStateOn', () => {
  const term = { contractStart: '2026-04-01', contractEnd: '2027-03-31' };

  it.each([
    ['the day before the term begins', 'active', '2026-03-31', 'not_started'],
    ['the first day of the term', 'active', '2026-04-01', 'active'],
    ['the last day of the term', 'active', '2027-03-31', 'active'],
    ['the day after the term, before the sweep', 'active', '2027-04-01', 'expired'],
    ['suspended within the term', 'suspended', '2026-06-01', 'suspended'],
    ['suspended before the term begins', 'suspended', '2026-03-01', 'suspended'],
    ['cancelled after the term', 'cancelled', '2027-05-01', 'cancelled'],
    ['expired by the sweep', 'expired', '2027-04-01', 'expired'],
  ] as const)('%s', (_name, status, today, expected) => {
    expect(contractStateOn({ ...term, status }, today)).toBe(expected);
  });

  it.each([
    ['the day before a noticed cancellation takes effect', 'active', '2026-12-31', '2026-12-30', 'active'],
    ['the day a noticed cancellation takes effect, before the sweep', 'active', '2026-12-31', '2026-12-31', 'cancelled'],
    ['days after it, the sweep having been down', 'active', '2026-12-31', '2027-01-05', 'cancelled'],
    ['suspended when the cancellation takes effect', 'suspended', '2026-12-31', '2026-12-31', 'cancelled'],
    ['a cancellation due on the day the term is over wins over expiry', 'active', '2027-04-01', '2027-04-01', 'cancelled'],
    ['expired before a cancellation noticed for later', 'active', '2027-05-01', '2027-04-01', 'expired'],
  ] as const)('%s', (_name, status, cancellationOn, today, expected) => {
    expect(contractStateOn({ ...term, status }, today, cancellationOn)).toBe(expected);
  });
});
