import fs from 'fs';
import path from 'path';
import { simpleParser } from 'mailparser';
import { SMTPServer } from 'smtp-server';
import { AddressInfo } from 'net';
import { DataSource } from 'typeorm';
import { buildMail, deliverOverSmtp } from '@kkd/testing';
import { MEMBERS, startTestServer, TestServer } from './support/test-server';

const INTAKE = 'kakekomi@helpdesk.test';
const himawari = MEMBERS[0];

describe('intake that cannot make a mail durable', () => {
  let t: TestServer;
  beforeAll(async () => { t = await startTestServer(); });
  afterAll(async () => { await t.close(); });

  it('answers 451 so the sender retries, keeps nothing half-written, and accepts the retry once', async () => {
    // A file where the raw-mail directory should be: the raw source cannot be written.
    const rawDir = path.join(t.config.DATA_DIR, 'raw');
    fs.writeFileSync(rawDir, 'in the way');
    const mail = buildMail({ from: himawari.email, subject: '一時障害中の相談' });
    expect((await deliverOverSmtp(t.smtpPort, mail.raw, { from: himawari.email, to: [INTAKE] })).code).toBe(451);
    expect((await (await t.api('/api/tickets')).json()).total).toBe(0);

    fs.rmSync(rawDir);
    expect((await deliverOverSmtp(t.smtpPort, mail.raw, { from: himawari.email, to: [INTAKE] })).code).toBe(250);
    const list = await (await t.api('/api/tickets')).json();
    expect(list.items.map((i: { subject: string }) => i.subject)).toEqual(['一時障害中の相談']);
  });
});

describe('outbound relay down, then back', () => {
  let t: TestServer;
  let relay: SMTPServer;
  let relayDown = true;
  const received: Buffer[] = [];

  beforeAll(async () => {
    relay = new SMTPServer({
      authOptional: true, disabledCommands: ['AUTH', 'STARTTLS'], logger: false,
      onData(stream, _session, callback) {
        const chunks: Buffer[] = [];
        stream.on('data', (c: Buffer) => chunks.push(c));
        stream.on('end', () => {
          if (relayDown) return callback(Object.assign(new Error('4.3.2 try again later'), { responseCode: 451 }));
          received.push(Buffer.concat(chunks));
          callback();
        });
      },
    });
    await new Promise<void>((resolve) => relay.listen(0, '127.0.0.1', () => resolve()));
    const port = (relay.server.address() as AddressInfo).port;
    t = await startTestServer({ SMTP_RELAY_URL: `smtp://127.0.0.1:${port}` });
  });
  afterAll(async () => {
    await t.close();
    await new Promise<void>((resolve) => relay.close(() => resolve()));
  });

  const outbound = async () => (await t.server.app.get(DataSource).query("SELECT kind, status, attempts, last_error, next_attempt_at FROM outbound_mails WHERE kind = 'acknowledgement'"))[0];

  it('keeps the mail queued with back-off while the relay refuses, then delivers it exactly once', async () => {
    const mail = buildMail({ from: himawari.email, subject: 'リレー障害テスト' });
    expect((await deliverOverSmtp(t.smtpPort, mail.raw, { from: himawari.email, to: [INTAKE] })).code).toBe(250);

    const before = Date.now();
    await t.flushOutbox();
    const failed = await outbound();
    expect(failed).toMatchObject({ kind: 'acknowledgement', status: 'queued', attempts: 1 });
    expect(failed.last_error).toContain('451');
    expect(Number(failed.next_attempt_at)).toBeGreaterThanOrEqual(before + 30_000);
    await t.flushOutbox(); // not due yet: no new attempt
    expect((await outbound()).attempts).toBe(1);

    relayDown = false;
    // As if the back-off had passed.
    await t.server.app.get(DataSource).query('UPDATE outbound_mails SET next_attempt_at = 0');
    await t.flushOutbox();
    await t.flushOutbox();
    expect(await outbound()).toMatchObject({ status: 'sent', attempts: 2 });
    // The acknowledgement arrived once (the managers' 未割当 notice went out beside it).
    const acks = (await Promise.all(received.map((r) => simpleParser(r)))).filter((m) => m.subject?.startsWith('受付: '));
    expect(acks).toHaveLength(1);
    const [ack] = acks;
    expect(ack.subject).toBe('受付: [KKD#1] リレー障害テスト');
    expect(ack.inReplyTo).toBe(mail.messageId);
  });
});
