import { STAFF_ROLE_LABELS, STAFF_ROLES, StaffAccountSummary, StaffRole } from '@kkd/staff';

const roleLabel = (role: StaffRole) => STAFF_ROLE_LABELS[role] ?? role;

/** Whether the account has a second factor, and whether its role must have one. */
function secondFactor(enrolled: boolean, required: boolean): { label: string; kind: 'enrolled' | 'missing' | 'none' } {
  if (enrolled) return { label: '設定済み', kind: 'enrolled' };
  return required ? { label: '未設定（必須）', kind: 'missing' } : { label: '未設定', kind: 'none' };
}

/** One row of the staff accounts table, or the facts at the top of an account's page. */
export function staffAccountRow(a: StaffAccountSummary, totpRequired: boolean) {
  const factor = secondFactor(!!a.user.totpEnabledAt, totpRequired);
  return {
    id: a.user.id, name: a.user.name, email: a.user.email, role: a.user.role, roleLabel: roleLabel(a.user.role),
    active: a.user.active, stateLabel: a.user.active ? '有効' : '無効',
    secondFactor: factor.label, secondFactorKind: factor.kind, totpEnabledAt: a.user.totpEnabledAt,
    lastLoginAt: a.lastLoginAt, createdAt: a.user.createdAt,
  };
}

/** The role choices of a select, the current one selected. */
export function roleOptions(selected: string | undefined) {
  return STAFF_ROLES.map((value) => ({ value, label: roleLabel(value), selected: value === selected }));
}

/** What the account page says after a change (from the redirect's `done`). */
export const DONE_MESSAGES: Record<string, string> = {
  role: '役割を変更しました。',
  disabled: 'アカウントを無効にしました。この人のログイン中のセッションは終了しました。',
  enabled: 'アカウントを有効にしました。',
  second_factor_reset: '二要素認証をリセットしました。次回のログイン時に設定し直します。',
};
