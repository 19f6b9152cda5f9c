import { chargeOf } from './billing-amount.util';
import { billingRows } from './billing-rows.util';

const c = (memberId: number, number: number, receivedAt: string, decision: string | null) =>
  ({ memberId, clubId: `CST-${memberId}`, nickname: `n${memberId}`, number, receivedAt: new Date(receivedAt), decision });

describe('billing lines of a month', () => {
  it('bills decided-billable consults only, one line each, then a total per member that adds up', () => {
    const rows = billingRows([
      c(1, 10, '2026-11-30T15:30:00Z', 'billable'), c(1, 11, '2026-12-02T00:00:00Z', 'waived'), c(1, 12, '2026-12-03T00:00:00Z', 'billable'),
      c(2, 20, '2026-12-04T00:00:00Z', null), c(3, 30, '2026-12-05T00:00:00Z', 'billable'),
    ], chargeOf(1234, 800));
    expect(rows.map((r) => [r.kind, r.clubId, r.number, r.receivedDate, r.count, r.price, r.tax, r.amount])).toEqual([
      ['item', 'CST-1', 10, '2026-12-01', 1, 1234, 98, 1332],
      ['item', 'CST-1', 12, '2026-12-03', 1, 1234, 98, 1332],
      ['member_total', 'CST-1', null, null, 2, 2468, 196, 2664],
      ['item', 'CST-3', 30, '2026-12-05', 1, 1234, 98, 1332],
      ['member_total', 'CST-3', null, null, 1, 1234, 98, 1332],
    ]);
  });

  it('has no lines when nothing is billable', () => {
    expect(billingRows([c(1, 1, '2026-12-01T00:00:00Z', 'waived')], chargeOf(5000, 1000))).toEqual([]);
  });
});
