import { Injectable, Logger } from '@nestjs/common';
import { AddressInfo } from 'net';
import { SMTPServer, SMTPServerDataStream, SMTPServerSession } from 'smtp-server';
import { AppConfig } from '@kkd/core';
import { IntakeService } from './intake.service';

type SmtpError = Error & { responseCode?: number };
const smtpError = (code: number, message: string): SmtpError => Object.assign(new Error(message), { responseCode: code });

/**
 * The built-in SMTP listener for INTAKE_ADDRESS. It answers 250 only once the intake has
 * committed the mail, 451 when it could not (the sender retries), 550 for other recipients and
 * 552 for mail over MAX_MESSAGE_BYTES.
 */
@Injectable()
export class SmtpIntakeServer {
  private readonly logger = new Logger(SmtpIntakeServer.name);
  private server: SMTPServer | null = null;

  constructor(private readonly intake: IntakeService, private readonly config: AppConfig) {}

  async start(): Promise<number> {
    const intakeAddress = this.config.INTAKE_ADDRESS.toLowerCase();
    const maxBytes = this.config.MAX_MESSAGE_BYTES;
    this.server = new SMTPServer({
      name: this.config.MAIL_HOSTNAME,
      banner: 'KKD helpdesk intake',
      size: maxBytes,
      authOptional: true,
      disabledCommands: ['AUTH', 'STARTTLS'],
      logger: false,
      socketTimeout: 60_000,
      onRcptTo: (address, _session, callback) => {
        if (address.address.trim().toLowerCase() === intakeAddress) return callback();
        callback(smtpError(550, `5.1.1 <${address.address}>: no such recipient here`));
      },
      onData: (stream: SMTPServerDataStream, session: SMTPServerSession, callback) => {
        const chunks: Buffer[] = [];
        let size = 0;
        stream.on('data', (chunk: Buffer) => {
          size += chunk.length;
          if (size <= maxBytes) chunks.push(chunk);
        });
        stream.on('error', (err) => callback(smtpError(451, `4.3.0 ${err.message}`)));
        stream.on('end', () => {
          if (stream.sizeExceeded || size > maxBytes) {
            callback(smtpError(552, `5.3.4 message exceeds the maximum size of ${maxBytes} bytes`));
            return;
          }
          const envelopeFrom = session.envelope.mailFrom ? session.envelope.mailFrom.address : null;
          this.intake.accept(Buffer.concat(chunks), envelopeFrom).then(
            () => callback(null, 'Ok: accepted'),
            (err: Error) => {
              this.logger.warn(`session ${session.id}: 451 ${err.message}`);
              callback(smtpError(451, '4.3.0 temporary failure, please retry'));
            },
          );
        });
      },
    });
    this.server.on('error', (err) => this.logger.error(`SMTP server error: ${err.message}`));
    await new Promise<void>((resolve, reject) => {
      this.server!.server.once('error', (err: Error) => reject(new Error(`SMTP_HOST=${JSON.stringify(this.config.SMTP_HOST)} SMTP_PORT=${this.config.SMTP_PORT}: cannot listen (${err.message})`)));
      this.server!.listen(this.config.SMTP_PORT, this.config.SMTP_HOST, () => resolve());
    });
    const port = (this.server.server.address() as AddressInfo).port;
    this.logger.log(`SMTP intake listening on ${this.config.SMTP_HOST}:${port} for ${intakeAddress}`);
    return port;
  }

  /** Whether the listener is up and accepting connections (for /healthz). */
  get listening(): boolean {
    return this.server?.server.listening ?? false;
  }

  async stop(): Promise<void> {
    const server = this.server;
    this.server = null;
    if (server) await new Promise<void>((resolve) => server.close(() => resolve()));
  }
}
