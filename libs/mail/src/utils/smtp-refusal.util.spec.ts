import { permanentRefusal } from './smtp-refusal.util';

/** An error shaped as nodemailer's SMTP connection makes it (message + ': ' + reply). */
const smtpError = (code: string, command: string, response?: string) => Object.assign(
  new Error(response ? `Can't send mail: ${response}` : 'Connection closed unexpectedly'),
  { code, command, ...(response ? { response, responseCode: Number(response.slice(0, 3)) } : {}) },
);

describe('permanentRefusal', () => {
  it.each([
    ['550 to RCPT TO (no such user)', smtpError('EENVELOPE', 'RCPT TO', '550 5.1.1 <x@example.jp>: no such user'), '550 5.1.1 <x@example.jp>: no such user'],
    ['552 to DATA (too large)', smtpError('EMESSAGE', 'DATA', '552 5.3.4 message too big'), '552 5.3.4 message too big'],
    ['554 to DATA (policy)', smtpError('EMESSAGE', 'DATA', '554 5.7.1 rejected by policy'), '554 5.7.1 rejected by policy'],
  ])('%s: failed at once with the reply', (_name, err, reply) => expect(permanentRefusal(err)).toBe(reply));

  it.each([
    ['451 to DATA (try later)', smtpError('EMESSAGE', 'DATA', '451 4.3.0 mailbox busy')],
    ['450 to RCPT TO (greylisting)', smtpError('EENVELOPE', 'RCPT TO', '450 4.2.0 greylisted')],
    ['503 to DATA (bad sequence: the session, not the mail)', smtpError('EENVELOPE', 'DATA', '503 5.5.1 bad sequence of commands')],
    ['550 to MAIL FROM (our sender address: every mail alike)', smtpError('EENVELOPE', 'MAIL FROM', '550 5.7.1 sender not allowed')],
    ['535 to AUTH (our credentials)', smtpError('EAUTH', 'AUTH PLAIN', '535 5.7.8 authentication failed')],
    ['a dropped connection', smtpError('ECONNECTION', 'CONN')],
    ['a file system error', Object.assign(new Error('ENOSPC: no space left on device'), { code: 'ENOSPC' })],
    ['something thrown that is not an Error', '550 oops'],
  ])('%s: retried', (_name, err) => expect(permanentRefusal(err)).toBeNull());
});
