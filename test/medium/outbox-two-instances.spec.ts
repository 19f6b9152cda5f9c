import net from 'net';
import { SMTPServer } from 'smtp-server';
import { DataSource } from 'typeorm';
import { TransactionRunner } from '@kkd/core';
import { MailModule, OutboxService } from '@kkd/mail';
import { realDbModule } from './support/real-db';

/**
 * Issue 8, several instances: the outbox sender runs under a lease, but a lease can run out while
 * its holder is still delivering (a long run under steady load) and another instance then starts
 * on the same queue. Each mail must still reach the relay once.
 */
describe('outbox delivery by two instances at once', () => {
  let a: Awaited<ReturnType<typeof realDbModule>>;
  let b: Awaited<ReturnType<typeof realDbModule>>;
  let relay: SMTPServer;
  const received = new Map<string, number>();

  beforeEach(async () => {
    received.clear();
    relay = new SMTPServer({
      authOptional: true, disabledCommands: ['STARTTLS', 'AUTH'], logger: false,
      onData(stream, _session, callback) {
        let head = '';
        stream.on('data', (c: Buffer) => { head += c.toString('latin1'); });
        stream.on('end', () => {
          const id = /^Message-ID:\s*(<[^>]+>)/im.exec(head.split(/\r?\n\r?\n/)[0])?.[1] ?? '(none)';
          received.set(id, (received.get(id) ?? 0) + 1);
          callback();
        });
      },
    });
    await new Promise<void>((resolve) => relay.listen(0, '127.0.0.1', () => resolve()));
    const env = { SMTP_RELAY_URL: `smtp://127.0.0.1:${(relay.server.address() as net.AddressInfo).port}` };
    a = await realDbModule([MailModule], { env });
    b = await realDbModule([MailModule], { sameDatabaseAs: a.config });
  });
  afterEach(async () => {
    await b.close();
    await a.close();
    await new Promise<void>((resolve) => relay.close(() => resolve()));
  });

  it('delivers each queued mail exactly once when both deliver the same queue concurrently', async () => {
    await a.module.get(TransactionRunner).run(async (em) => {
      for (let i = 0; i < 40; i++) {
        await a.module.get(OutboxService).enqueue(em, { consultId: null, kind: 'notice', to: `m${i}@member.example.jp`, subject: `通知 ${i}`, bodyText: '本文' });
      }
    });
    const [sentByA, sentByB] = await Promise.all([a.module.get(OutboxService).deliverDue(), b.module.get(OutboxService).deliverDue()]);

    expect(sentByA + sentByB).toBe(40);
    const rows: { status: string; attempts: number; message_id_header: string }[] = await a.module.get(DataSource).query('SELECT status, attempts, message_id_header FROM outbound_mails');
    expect(rows.filter((r) => r.status !== 'sent' || Number(r.attempts) !== 1)).toEqual([]);
    expect(rows.filter((r) => received.get(r.message_id_header) !== 1).map((r) => [r.message_id_header, received.get(r.message_id_header)])).toEqual([]);
    expect([...received.values()].reduce((n, k) => n + k, 0)).toBe(40);
  });
});
