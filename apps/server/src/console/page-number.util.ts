/** Past any real list, and small enough that its offset stays an exact integer in SQL. */
const MAX_PAGE = 100_000;

/** A list page's `page` query parameter: 1 for anything missing or malformed, at most MAX_PAGE. */
export function pageNumber(raw: string | undefined): number {
  return Math.min(MAX_PAGE, Math.max(1, Number.parseInt(raw ?? '1', 10) || 1));
}
