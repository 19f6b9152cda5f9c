import { checkPassword, PasswordRule } from './password-rules.util';

/** 200 characters with no repeated pattern. */
const LONG = Array.from({ length: 40 }, (_, i) => `k${String(i).padStart(2, '0')}x-`).join('');

describe('checkPassword', () => {
  it.each<[string, string, string, PasswordRule | null]>([
    // The passwords the existing tests, the demo and the first start use.
    ['seed expert', 'expert-password-123', 'expert@helpdesk.test', null],
    ['seed manager', 'manager-password-123', 'manager@helpdesk.test', null],
    ['seed admin', 'admin-password-123', 'admin@helpdesk.test', null],
    ['seed admin (medium)', 'admin-password-1234', 'secretariat@helpdesk.test', null],
    ['demo accounts', 'demo-password-2026', 'expert1@helpdesk.test', null],
    ['first start from ADMIN_PASSWORD', 'ops-password-2026', 'ops@helpdesk.test', null],
    ['other seeds', 'target-password-123', 'target@helpdesk.test', null],
    ['cli seed', 'expert-password-123', 'ex@helpdesk.test', null],
    ['a generated one-time password', 'q3ZfK_9xLw-0pTbV2mYc', 'admin@helpdesk.test', null],
    ['a Japanese passphrase', 'ふじさんのぼりはれのひ', 'fuji@helpdesk.test', 'min_length'],
    ['a long Japanese passphrase', 'ふじさんにのぼったはれのひのあさ', 'fuji@helpdesk.test', null],
    ['a lower-case passphrase', 'correcthorsebatterystaple', 'a@helpdesk.test', null],
    ['exactly 12 characters', 'Kiri-same-26', 'a@helpdesk.test', null],
    ['11 characters', 'Kiri-same-2', 'a@helpdesk.test', 'min_length'],
    ['empty', '', 'a@helpdesk.test', 'min_length'],
    ['200 characters', LONG, 'a@helpdesk.test', null],
    ['201 characters', `${LONG}x`, 'a@helpdesk.test', 'max_length'],
    ['the local part with a short tail', 'yamada.taro2026', 'yamada.taro@helpdesk.test', 'email_local_part'],
    ['the local part in capitals', 'YAMADA.TARO-2026', 'yamada.taro@helpdesk.test', 'email_local_part'],
    ['pieces of the local part', 'taro-yamada-26!', 'yamada.taro@helpdesk.test', 'email_local_part'],
    ['the whole address', 'takahashi.k@helpdesk.test', 'takahashi.k@helpdesk.test', 'email_address'],
    ['the whole address in capitals', 'TAKAHASHI.K@HELPDESK.TEST', 'takahashi.k@helpdesk.test', 'email_address'],
    ['the address with digits and symbols added', 'Takahashi.K@helpdesk.test2026!', 'takahashi.k@helpdesk.test', 'email_address'],
    ['the address with symbols before it', '##takahashi.k@helpdesk.test', 'takahashi.k@helpdesk.test', 'email_address'],
    ['the local part with a long tail of digits', 'takahashi.k-123456789012', 'takahashi.k@helpdesk.test', 'email_address'],
    ['a long local part alone', 'yamada.taro.ichiro', 'yamada.taro.ichiro@helpdesk.test', 'email_local_part'],
    ['the address with words added', 'takahashi.k@helpdesk.test-kumo-yama', 'takahashi.k@helpdesk.test', null],
    ['the local part with words added', 'takahashi.k-kumo-yama-kawa', 'takahashi.k@helpdesk.test', null],
    ['a one-letter local part is no address', '7a-839201745563', 'a@helpdesk.test', null],
    ['one character repeated', 'aaaaaaaaaaaa', 'a@helpdesk.test', 'repetitive'],
    ['a short pattern repeated', 'abcabcabcabc', 'x@helpdesk.test', 'repetitive'],
    ['a straight run', 'abcdefghijklm', 'x@helpdesk.test', 'repetitive'],
    ['a descending run', '987654321098', 'x@helpdesk.test', 'repetitive'],
    ['digits only', '839201745563', 'x@helpdesk.test', 'repetitive'],
    ['repeated within what bcrypt reads', `${'z'.repeat(72)}Tail-Of-Text`, 'x@helpdesk.test', 'repetitive'],
    ['listed: password1234', 'password1234', 'x@helpdesk.test', 'common'],
    ['listed: qwertyuiop12', 'qwertyuiop12', 'x@helpdesk.test', 'common'],
    ['listed: 123456789012', '123456789012', 'x@helpdesk.test', 'repetitive'],
    ['listed, in capitals', 'PASSWORD1234', 'x@helpdesk.test', 'common'],
    ['a common word with digits and symbols', 'Password!2026', 'x@helpdesk.test', 'common'],
    ['a common word in leetspeak', 'P@ssw0rd-2026', 'x@helpdesk.test', 'common'],
    ['a common word repeated', 'passwordpassword', 'x@helpdesk.test', 'common'],
    ['a keyboard walk', '1qaz2wsx3edc', 'x@helpdesk.test', 'common'],
  ])('%s: %s → %s', (_name, password, email, rule) => {
    expect(checkPassword(password, email)?.rule ?? null).toBe(rule);
  });

  it('explains a refusal in Japanese for the console and in one English line for the command line', () => {
    const problem = checkPassword('short', 'a@helpdesk.test')!;
    expect(problem.message).toBe('パスワードは12文字以上にしてください。');
    expect(problem.reason).toBe('at least 12 characters are required');
    expect(problem.reason).not.toContain('\n');
  });
});
