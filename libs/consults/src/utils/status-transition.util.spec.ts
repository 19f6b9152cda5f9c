import { canTransition, statusAfterMemberMail, statusChangeSummary } from './status-transition.util';

describe('consult status rules', () => {
  it.each([
    ['new', 'open', true], ['new', 'closed', true], ['open', 'waiting_member', true], ['waiting_member', 'open', true],
    ['resolved', 'open', true], ['resolved', 'closed', true], ['closed', 'open', true], ['closed', 'resolved', false],
    ['open', 'new', false], ['resolved', 'waiting_member', false], ['open', 'open', true],
  ] as const)('%s → %s allowed: %s', (from, to, allowed) => expect(canTransition(from, to)).toBe(allowed));

  it.each([['new', 'new'], ['open', 'open'], ['waiting_member', 'open'], ['resolved', 'open'], ['closed', 'open']] as const)(
    'a member follow-up on a %s consult makes it %s', (from, to) => expect(statusAfterMemberMail(from)).toBe(to),
  );

  it.each([
    ['a staff member by the form', 'new', 'open', { staff: '専門 太郎' }, '状態を変更: 新規 → 対応中（専門 太郎）'],
    ['a reply', 'open', 'waiting_member', { staff: '専門 太郎', by: 'reply' }, '回答により状態を変更: 対応中 → 会員の返答待ち（専門 太郎）'],
    ['a merge', 'resolved', 'open', { staff: '管理 花子', by: 'merge' }, '統合により状態を変更: 解決済み → 対応中（管理 花子）'],
    ['the member\'s mail', 'closed', 'open', 'member_mail', '会員のメールにより状態を変更: 完了 → 対応中'],
  ] as const)('names a status change by %s in Japanese', (_, from, to, cause, summary) => expect(statusChangeSummary(from, to, cause)).toBe(summary));
});
