import nodemailer, { Transporter } from 'nodemailer';
import { permanentRefusal } from '../utils/smtp-refusal.util';
import { MailTransport, PermanentDeliveryError } from './mail-transport';

/**
 * Connections kept open to the relay (not a setting on purpose: small enough for any relay's
 * per-client limit, and a new connection per mail, with its greeting and EHLO, was what made
 * delivery slow). Settings in SMTP_RELAY_URL's query string still win.
 */
const RELAY_CONNECTIONS = 4;
/** Mails per connection before it is replaced (some relays cap a session). */
const MAILS_PER_CONNECTION = 100;

/** Hands mail to the relay at SMTP_RELAY_URL over a small pool of kept-open connections. */
export class SmtpRelayTransport implements MailTransport {
  /** Two per connection: the next mail is composed and waiting while the previous one is in DATA. */
  readonly concurrency = RELAY_CONNECTIONS * 2;
  private readonly transporter: Transporter;

  constructor(url: string) {
    this.transporter = nodemailer.createTransport({ url, pool: true, maxConnections: RELAY_CONNECTIONS, maxMessages: MAILS_PER_CONNECTION });
  }

  async deliver(raw: Buffer, envelope: { from: string; to: string[] }): Promise<void> {
    try {
      await this.transporter.sendMail({ envelope, raw });
    } catch (err) {
      const reply = permanentRefusal(err);
      throw reply === null ? err : new PermanentDeliveryError(reply);
    }
  }

  async close(): Promise<void> {
    this.transporter.close();
  }
}
