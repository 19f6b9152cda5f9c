import { HeldMail, HeldMailListItem, HeldStatus } from '@kkd/inbox';

export const HELD_REASON_LABELS: Record<string, string> = {
  unknown_sender: '未登録の送信者', no_sender: '送信者不明', contract_not_started: '契約開始前', contract_suspended: '契約中断中',
  contract_cancelled: '解約済み', contract_expired: '契約期間満了',
  bounce: '不達通知（エラーメール）', auto_reply: '自動応答', bulk: '一斉配信・メーリングリスト',
};
export const HELD_STATUS_LABELS: Record<HeldStatus, string> = { held: '保留中', attached: '取り込み済み', discarded: '破棄済み' };

export function heldStatusOptions(current: HeldStatus) {
  return (Object.keys(HELD_STATUS_LABELS) as HeldStatus[]).map((s) => ({ value: s, label: HELD_STATUS_LABELS[s], selected: s === current }));
}

/** The mail's own columns, as every held-mail page shows them. */
export function heldMailSummary(m: HeldMail) {
  return { id: m.id, fromAddress: m.fromAddress ?? '(なし)', subject: m.subject, reason: HELD_REASON_LABELS[m.reason] ?? m.reason, receivedAt: m.receivedAt };
}

/** One row of the list: still held (with the attach form's typed value) or who handled it, when, and how. */
export function heldMailRow(m: HeldMailListItem, staffNames: Map<number, string>, typedClubId: string) {
  return {
    ...heldMailSummary(m), held: m.status === 'held', clubId: typedClubId,
    handledBy: m.handledBy === null ? null : staffNames.get(m.handledBy) ?? `担当者#${m.handledBy}`, handledAt: m.handledAt,
    consultNumber: m.consultNumber, discardReason: m.discardReason,
  };
}
