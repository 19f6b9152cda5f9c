import { redactUrl, urlSettingProblem } from './url-setting.util';

const SMTP = { schemes: ['smtp:', 'smtps:'] };
const IMAP = { schemes: ['imap:', 'imaps:'], credentials: true };

describe('urlSettingProblem', () => {
  it.each([
    ['a relay with a port', 'smtp://relay.example.jp:587', SMTP],
    ['a relay without a port (the default)', 'smtps://relay.example.jp', SMTP],
    ['an encoded password', 'smtp://user:p%40ss@relay.example.jp:25', SMTP],
    ['an IPv6 host', 'smtp://[::1]:2525', SMTP],
    ['a mailbox with credentials', 'imaps://u:p@mail.example.jp:993/INBOX', IMAP],
  ])('accepts %s', (_name, value, rule) => {
    expect(urlSettingProblem(value, rule)).toBeNull();
  });

  it.each([
    ['a port that is not a number', 'smtp://user:S3cretPw@relay.example.jp:abc', SMTP, /bad port/],
    ['a port above 65535', 'smtp://relay.example.jp:99999', SMTP, /bad port/],
    ['port 0', 'smtp://relay.example.jp:0', SMTP, /bad port/],
    ['another scheme', 'http://relay.example.jp', SMTP, /must start with smtp:\/\/ or smtps:\/\//],
    ['no scheme at all', 'relay.example.jp:25', SMTP, /must start with/],
    ['no host', 'smtp://:25', SMTP, /./],
    ['a broken %-escape in the password', 'smtp://u:50%zz@relay.example.jp', SMTP, /%-escape/],
    ['a mailbox without credentials', 'imap://mail.example.jp/INBOX', IMAP, /user:password@/],
  ])('refuses %s', (_name, value, rule, reason) => {
    const problem = urlSettingProblem(value, rule);
    expect(problem).toMatch(reason);
    expect(problem).not.toContain('S3cretPw');
  });
});

describe('redactUrl', () => {
  it.each([
    ['a parsable URL', 'postgres://kkd:S3cretPw@db.internal:5432/helpdesk', 'postgres://kkd:***@db.internal:5432/helpdesk'],
    ['an unparsable URL', 'smtp://user:S3cretPw@relay.example.jp:abc', 'smtp://user:***@relay.example.jp:abc'],
    ['a password with / and @ in it', 'smtp://user:S3c/r@tPw@relay.example.jp', 'smtp://user:***@relay.example.jp'],
    ['no password', 'smtp://relay.example.jp:25', 'smtp://relay.example.jp:25'],
    ['a user without a password', 'smtp://user@relay.example.jp', 'smtp://user@relay.example.jp'],
  ])('masks %s', (_name, value, expected) => {
    expect(redactUrl(value)).toBe(expected);
  });
});
