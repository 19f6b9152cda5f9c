import { auditActionLabel } from './audit-labels.util';

describe('auditActionLabel', () => {
  it.each([
    ['member.identity_viewed', '会員の連絡先の閲覧'],
    ['contract.cancelled', '解約'],
    ['staff.login_failed', 'ログインの失敗'],
    ['future.action', 'future.action'],
  ])('%s → %s', (action, label) => expect(auditActionLabel(action)).toBe(label));
});
