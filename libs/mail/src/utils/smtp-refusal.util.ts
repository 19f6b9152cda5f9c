/** What nodemailer attaches to an error from the relay (nodemailer.com/errors, NodemailerError). */
interface SmtpErrorFields {
  /** The SMTP command answered: 'MAIL FROM', 'RCPT TO', 'DATA', 'AUTH PLAIN', 'CONN', … */
  command?: string;
  /** The relay's reply as received, e.g. "550 5.1.1 <x@example.jp>: no such user". */
  response?: string;
  responseCode?: number;
}

/**
 * Replies that refuse this mail or its recipient. A 5xx to MAIL FROM or AUTH is our own setup's
 * fault (every mail would get it until someone fixes it), so those stay retried like a 4xx.
 */
const MAIL_COMMANDS = new Set(['RCPT TO', 'DATA']);

/**
 * The relay's reply when it refused the mail for good, else null (retry later). RFC 5321: a 5yz
 * reply is permanent, a 4yz one transient; 503 (bad sequence of commands) is the session's state,
 * not a refusal, and goes through on a new connection (nodemailer's own `err.permanent` rule).
 */
export function permanentRefusal(err: unknown): string | null {
  if (!(err instanceof Error)) return null;
  const { command, response, responseCode } = err as Error & SmtpErrorFields;
  if (command === undefined || !MAIL_COMMANDS.has(command) || typeof responseCode !== 'number') return null;
  if (responseCode < 500 || responseCode > 599 || responseCode === 503) return null;
  return response ?? err.message;
}
