import { canTransition, statusAfterMemberMail } from './status-transition.util';

describe('consult status rules', () => {
  it.each([
    ['new', 'open', true], ['new', 'closed', true], ['open', 'waiting_member', true], ['waiting_member', 'open', true],
    ['resolved', 'open', true], ['resolved', 'closed', true], ['closed', 'open', true], ['closed', 'resolved', false],
    ['open', 'new', false], ['resolved', 'waiting_member', false], ['open', 'open', true],
  ] as const)('%s → %s allowed: %s', (from, to, allowed) => expect(canTransition(from, to)).toBe(allowed));

  it.each([['new', 'new'], ['open', 'open'], ['waiting_member', 'open'], ['resolved', 'open'], ['closed', 'open']] as const)(
    'a member follow-up on a %s consult makes it %s', (from, to) => expect(statusAfterMemberMail(from)).toBe(to),
  );
});
