import { DomainError } from '@kkd/core';
import { ConsultStatus } from './consult-codes';

export class StatusTransitionError extends DomainError {
  constructor(from: ConsultStatus, to: ConsultStatus) {
    super('consult.bad_transition', `a consult cannot go from ${from} to ${to}`, { field: 'status', from, to });
  }
}

/** Another reply was sent since the replying page was opened; nothing was sent. */
export class ReplyConflictError extends DomainError {
  constructor(number: number, latestReplyId: number) {
    super('consult.reply_conflict', `KKD#${number} には、このページを開いた後に別の回答が送信されています。`, { field: 'body', latestReplyId });
  }
}

/** Two consults that cannot be merged (different members, the same consult, one already merged). */
export class MergeRefusedError extends DomainError {
  constructor(message: string) {
    super('validation', message, { field: 'target' });
  }
}
