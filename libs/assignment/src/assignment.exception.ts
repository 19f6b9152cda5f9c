import { DomainError } from '@kkd/core';

/** Claiming a consult someone else already has: a manager reassigns instead. */
export class AlreadyAssignedError extends DomainError {
  constructor(number: number, assignee: string) {
    super('assignment.taken', `KKD#${number} は既に ${assignee} さんが担当しています。`, { field: 'assignee', number });
  }
}

/** A role that may not reassign (an expert) changing who handles a consult other than by claiming it. */
export class AssignmentForbiddenError extends DomainError {
  constructor() {
    super('assignment.forbidden', '担当者の変更はマネージャーと管理者だけが行えます。専門家は未割当の相談を自分の担当にする（担当する）ことだけができます。', { field: 'assignee' });
  }
}
