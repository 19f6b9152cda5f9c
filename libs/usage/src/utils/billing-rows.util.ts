import { toJstIso } from '@kkd/core';

export interface BillableConsult {
  memberId: number;
  clubId: string;
  nickname: string;
  number: number;
  receivedAt: Date;
  decision: string | null;
}

export interface BillingRow {
  kind: 'item' | 'member_total';
  clubId: string;
  nickname: string;
  number: number | null;
  /** Japan date of receipt, YYYY-MM-DD (items only). */
  receivedDate: string | null;
  count: number;
  price: number;
  tax: number;
  amount: number;
}

/**
 * The billing lines of a month: each consult decided billable at the unit charge, in the order
 * given (by member, then ordinal), and after each member's items their total. Each item's tax is
 * rounded down on its own (terms art. 32); a total is the sum of its items, so the lines add up.
 */
export function billingRows(candidates: readonly BillableConsult[], charge: { price: number; tax: number; amount: number }): BillingRow[] {
  const rows: BillingRow[] = [];
  let total: BillingRow | null = null;
  let member: number | null = null;
  for (const c of candidates.filter((x) => x.decision === 'billable')) {
    if (c.memberId !== member) {
      if (total) rows.push(total);
      member = c.memberId;
      total = { kind: 'member_total', clubId: c.clubId, nickname: c.nickname, number: null, receivedDate: null, count: 0, price: 0, tax: 0, amount: 0 };
    }
    rows.push({ kind: 'item', clubId: c.clubId, nickname: c.nickname, number: c.number, receivedDate: toJstIso(c.receivedAt).slice(0, 10), count: 1, ...charge });
    total!.count += 1;
    total!.price += charge.price;
    total!.tax += charge.tax;
    total!.amount += charge.amount;
  }
  if (total) rows.push(total);
  return rows;
}
