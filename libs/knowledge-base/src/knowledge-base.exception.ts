import { DomainError } from '@kkd/core';

/** Promotion or a workflow step refused by the consult's or the entry's state (409 at the edge). */
export class FaqRefusedError extends DomainError {
  constructor(message: string, field = 'status', details: Record<string, unknown> = {}) {
    super('faq.refused', message, { field, ...details });
  }
}
