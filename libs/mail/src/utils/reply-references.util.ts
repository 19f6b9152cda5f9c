/** How many ids a reply's References carries at most (the first and the latest are kept). */
export const MAX_REFERENCES = 20;

/** The msg-ids (`<…>`) in a header value or a stored, space-separated list; anything else is skipped. */
export function messageIdsIn(value: string | null | undefined): string[] {
  return value?.match(/<[^<>\s]+>/g) ?? [];
}

/**
 * The References of a reply (RFC 5322 §3.6.4): the parent's References and its own Message-ID
 * last. The thread's ids we know (chronological) are merged in, each once: those a client left
 * out go before the first later id it quotes, the rest after its list, so the thread's root stays
 * first even when the member's client quotes only the message it answers. When too long, the
 * first id and the latest ones are kept (as RFC 5537 §3.4.4 suggests): clients still find both
 * the start of the thread and the message answered.
 */
export function replyReferences(
  parent: { messageId: string | null; references: string | null } | null, threadIds: string[], max = MAX_REFERENCES,
): string[] {
  const own = messageIdsIn(parent?.messageId)[0];
  const known = threadIds.flatMap((id) => messageIdsIn(id));
  const ids: string[] = [];
  const seen = new Set<string>();
  const add = (id: string) => {
    if (id === own || seen.has(id)) return;
    seen.add(id);
    ids.push(id);
  };
  let next = 0;
  for (const id of messageIdsIn(parent?.references)) {
    const at = known.indexOf(id);
    while (next <= at) add(known[next++]);
    add(id);
  }
  known.forEach(add);
  if (own) ids.push(own);
  return ids.length <= max ? ids : [ids[0], ...ids.slice(ids.length - (max - 1))];
}
