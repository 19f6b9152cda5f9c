/**
 * How far the search indexer may move its watermark after reading `messages` (ids above `from`,
 * ascending). Ids are handed out before commit, so on PostgreSQL a smaller id can commit after a
 * larger one: the watermark stops before the first hole in the ids, unless the message after the
 * hole is older than `graceMs` (the hole is then a rolled-back insert, or a deleted row, and will
 * never fill). Messages above the watermark are read again next time (indexing is idempotent).
 */
export function nextWatermark(from: number, messages: { id: number; createdAt: Date }[], now: Date, graceMs: number): number {
  let mark = from;
  for (const m of messages) {
    if (m.id !== mark + 1 && now.getTime() - m.createdAt.getTime() < graceMs) break;
    mark = m.id;
  }
  return mark;
}
