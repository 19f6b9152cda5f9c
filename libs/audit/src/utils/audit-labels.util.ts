/** The console's Japanese name of an action; an action added later shows its code until named here. */
export const AUDIT_ACTION_LABELS: Record<string, string> = {
  'member.created': '会員の登録',
  'member.updated': '会員情報の変更',
  'member.identity_viewed': '会員の連絡先の閲覧',
  'contract.suspended': '契約の中断',
  'contract.resumed': '契約の再開',
  'contract.cancellation_noticed': '解約の申出の受付',
  'contract.cancelled': '解約',
  'contract.expired': '期間満了',
  'contract.term_changed': '契約期間の変更',
  'held_mail.list_viewed': '保留メール一覧の閲覧',
  'held_mail.raw_viewed': '保留メールの原文の閲覧',
  'held_mail.attached': '保留メールの会員への紐付け',
  'held_mail.discarded': '保留メールの破棄',
  'retention.deleted': '保存期間を過ぎたファイルの削除',
  'consult.raw_viewed': '相談メールの原文の閲覧',
  'staff.created': '担当者アカウントの作成',
  'staff.login': 'ログイン',
  'staff.login_password_ok': 'パスワード確認（二要素認証待ち）',
  'staff.login_failed': 'ログインの失敗',
  'staff.login_throttled': 'ログインの一時停止（失敗の繰り返し）',
  'staff.logout': 'ログアウト',
  'staff.password_changed': 'パスワードの変更',
  'staff.totp_enabled': '二要素認証の設定',
  'staff.second_factor_failed': '確認コードの誤り',
  'staff.recovery_code_used': '回復コードの使用',
  'staff.second_factor_reset': '二要素認証のリセット',
  'staff.role_changed': '担当者の役割の変更',
  'staff.deactivated': '担当者アカウントの無効化',
  'staff.reactivated': '担当者アカウントの再有効化',
};

export function auditActionLabel(action: string): string {
  return AUDIT_ACTION_LABELS[action] ?? action;
}
