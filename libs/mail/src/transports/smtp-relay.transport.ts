import nodemailer, { Transporter } from 'nodemailer';
import { MailTransport } from './mail-transport';

/** Hands mail to the relay at SMTP_RELAY_URL. */
export class SmtpRelayTransport implements MailTransport {
  private readonly transporter: Transporter;

  constructor(url: string) {
    this.transporter = nodemailer.createTransport(url);
  }

  async deliver(raw: Buffer, envelope: { from: string; to: string[] }): Promise<void> {
    await this.transporter.sendMail({ envelope, raw });
  }
}
