/** Tax rates are kept in basis points (1/100 of a percent): 8% = 800, 10% = 1000, 10.5% = 1050. */
const BP_PER_UNIT = 10_000;

/**
 * Consumption tax on a price in whole yen (terms art. 32): the fraction of a yen is rounded down.
 * Integer arithmetic only, so no rate or price is ever off by a floating-point rounding.
 */
export function taxYen(priceYen: number, rateBp: number): number {
  if (!Number.isSafeInteger(priceYen) || priceYen < 0) throw new RangeError(`price must be whole yen, got ${priceYen}`);
  if (!Number.isSafeInteger(rateBp) || rateBp < 0) throw new RangeError(`rate must be whole basis points, got ${rateBp}`);
  const scaled = priceYen * rateBp;
  if (!Number.isSafeInteger(scaled)) throw new RangeError('price × rate is too large');
  return (scaled - (scaled % BP_PER_UNIT)) / BP_PER_UNIT;
}

/** A billable consult's unit price, tax and amount in whole yen. */
export function chargeOf(priceYen: number, rateBp: number): { price: number; tax: number; amount: number } {
  const tax = taxYen(priceYen, rateBp);
  return { price: priceYen, tax, amount: priceYen + tax };
}

/** A percentage as typed ("10", "8", "10.5", "10.25") in basis points, or null when it is not one (0–100, two decimals at most). */
export function percentToBasisPoints(text: string): number | null {
  const m = /^(\d{1,3})(?:\.(\d{1,2}))?$/.exec(text.trim());
  if (!m) return null;
  const bp = Number(m[1]) * 100 + Number((m[2] ?? '').padEnd(2, '0'));
  return bp <= BP_PER_UNIT ? bp : null;
}

/** Basis points as a percentage without trailing zeros: 1000 → "10", 1050 → "10.5", 825 → "8.25". */
export function basisPointsToPercent(bp: number): string {
  const whole = Math.floor(bp / 100);
  const fraction = String(bp % 100).padStart(2, '0').replace(/0+$/, '');
  return fraction ? `${whole}.${fraction}` : String(whole);
}
