/** A consult as counted: its member and the receipt time of its first mail (epoch ms). */
export interface CountedConsult {
  id: number;
  memberId: number;
  receivedAt: number;
}

/**
 * Numbers each member's consults of one month 1, 2, 3… by receipt time (ties by id, so two mails
 * in the same millisecond still have an order). `rows` are the month's counted consults only:
 * no merged duplicates. Returns the rows ordered by member, then ordinal.
 */
export function rankInMonth<T extends CountedConsult>(rows: readonly T[]): (T & { ordinal: number })[] {
  const sorted = [...rows].sort((a, b) => a.memberId - b.memberId || a.receivedAt - b.receivedAt || a.id - b.id);
  let member = NaN;
  let ordinal = 0;
  return sorted.map((row) => {
    ordinal = row.memberId === member ? ordinal + 1 : 1;
    member = row.memberId;
    return { ...row, ordinal };
  });
}

/** From the threshold's ordinal on (default: the 3rd consult of the month), a consult may be charged. */
export function isBillingCandidate(ordinal: number | null, threshold: number): boolean {
  return ordinal !== null && ordinal >= threshold;
}

/** The notice text with its placeholders filled: {threshold} and {ordinal}. */
export function fillNotice(text: string, values: { threshold: number; ordinal: number }): string {
  return text.replace(/\{(threshold|ordinal)\}/g, (_m, name: 'threshold' | 'ordinal') => String(values[name]));
}
