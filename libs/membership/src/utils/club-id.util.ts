/**
 * A club ID as stored: upper case, without surrounding blanks. Club IDs are compared exactly in the
 * database, so every club ID read from input (CSV, forms) goes through this first. NFKC first: a
 * club ID typed with a Japanese input method arrives full-width (ｃｓｔ－００２０１).
 */
export function normalizeClubId(clubId: string): string {
  return clubId.normalize('NFKC').trim().toUpperCase();
}
