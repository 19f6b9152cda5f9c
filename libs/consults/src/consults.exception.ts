import { DomainError } from '@kkd/core';
import { ConsultStatus, STATUS_LABELS } from './consult-codes';

/** A status the consult cannot move to from where it is; said in the console's words (the API shows the same). */
export class StatusTransitionError extends DomainError {
  constructor(number: number, from: ConsultStatus, to: ConsultStatus, by?: 'reply') {
    super('consult.bad_transition', transitionRefusal(number, from, to, by), { field: 'status', from, to });
  }
}

function transitionRefusal(number: number, from: ConsultStatus, to: ConsultStatus, by?: 'reply'): string {
  // A done consult takes a reply only with the reply reopening it (to 対応中).
  if (by === 'reply' && (from === 'closed' || from === 'resolved')) {
    return `KKD#${number} は「${STATUS_LABELS[from]}」のため返信できません。状態を「${STATUS_LABELS.open}」に戻して（再開して）から返信してください。`;
  }
  return `KKD#${number} の状態は「${STATUS_LABELS[from]}」から「${STATUS_LABELS[to]}」に変更できません。`;
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
