import { DomainError } from '@kkd/core';

/** Claiming a consult someone else already has: a manager reassigns instead. */
export class AlreadyAssignedError extends DomainError {
  constructor(number: number, assignee: string) {
    super('assignment.taken', `KKD#${number} は既に ${assignee} さんが担当しています。`, { field: 'assignee', number });
  }
}
