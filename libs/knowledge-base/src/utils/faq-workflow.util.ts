import type { FaqStatus } from '../entities/faq-entry.entity';

export type FaqAction = 'edit' | 'submit' | 'return' | 'publish' | 'archive';

/**
 * The workflow: draft → review → published → archived. A manager may publish a draft straight
 * away (the API's "publishes the draft"); editing a published entry starts a new draft while the
 * live version stays readable; an archived entry comes back only as a new draft.
 * Returns the status after the action, or null when the action is not allowed from `from`.
 */
export function nextFaqStatus(from: FaqStatus, action: FaqAction): FaqStatus | null {
  switch (action) {
    case 'edit': return from === 'review' ? 'review' : 'draft';
    case 'submit': return from === 'draft' ? 'review' : null;
    case 'return': return from === 'review' ? 'draft' : null;
    case 'publish': return from === 'draft' || from === 'review' ? 'published' : null;
    case 'archive': return from === 'archived' ? null : 'archived';
  }
}

/** Actions offered on an entry in this status (the console shows these buttons). */
export function allowedFaqActions(from: FaqStatus): FaqAction[] {
  return (['submit', 'return', 'publish', 'archive'] as const).filter((a) => nextFaqStatus(from, a) !== null);
}
