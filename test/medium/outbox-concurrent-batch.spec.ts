import net from 'net';
import { SMTPServer, SMTPServerDataStream } from 'smtp-server';
import { DataSource } from 'typeorm';
import { TransactionRunner } from '@kkd/core';
import { MailModule, OutboxSenderJob, OutboxService } from '@kkd/mail';
import { realDbModule } from './support/real-db';

interface Row { id: number; to_address: string; status: string; attempts: number; last_error: string | null; next_attempt_at: string; message_id_header: string }

/**
 * Issue 8, outbound throughput: a batch's mails go to the relay several at once over kept-open
 * connections. Each mail's own outcome must still be recorded: one the relay refused is retried
 * alone, the others are marked sent once and not handed over again.
 */
describe('outbox sending a batch concurrently', () => {
  let db: Awaited<ReturnType<typeof realDbModule>>;
  let relay: SMTPServer;
  const received = new Map<string, number>();
  const refused = new Set<string>();
  /** Recipients the relay answers at RCPT TO with this reply (code, text). */
  const rcptReplies = new Map<string, [number, string]>();
  let inData = 0;
  let mostInData = 0;
  /** While set, each DATA waits for it (or for a second mail in DATA, to observe concurrency). */
  let gate: Promise<void> | null = null;

  const waitInData = async (): Promise<void> => {
    inData += 1;
    mostInData = Math.max(mostInData, inData);
    try {
      if (gate) await gate;
      // A sender that sends one mail at a time never gets a second one here: give up after 2 s.
      else for (let waited = 0; inData < 2 && waited < 2000 && mostInData < 2; waited += 10) await new Promise((r) => setTimeout(r, 10));
    } finally {
      inData -= 1;
    }
  };

  const enqueue = (count: number, to: (i: number) => string) => db.module.get(TransactionRunner).run(async (em) => {
    for (let i = 0; i < count; i++) await db.module.get(OutboxService).enqueue(em, { consultId: null, kind: 'notice', to: to(i), subject: `通知 ${i}`, bodyText: '本文' });
  });
  const rows = async (): Promise<Row[]> => db.module.get(DataSource).query('SELECT id, to_address, status, attempts, last_error, next_attempt_at, message_id_header FROM outbound_mails ORDER BY id');

  beforeEach(async () => {
    received.clear();
    refused.clear();
    rcptReplies.clear();
    mostInData = 0;
    gate = null;
    relay = new SMTPServer({
      authOptional: true, disabledCommands: ['STARTTLS', 'AUTH'], logger: false,
      onRcptTo(address, _session, callback) {
        const reply = rcptReplies.get(address.address);
        callback(reply ? Object.assign(new Error(reply[1]), { responseCode: reply[0] }) : undefined);
      },
      onData(stream: SMTPServerDataStream, session, callback) {
        let head = '';
        stream.on('data', (c: Buffer) => { head += c.toString('latin1'); });
        stream.on('end', () => {
          void waitInData().then(() => {
            if (session.envelope.rcptTo.some((r) => refused.has(r.address))) {
              return callback(Object.assign(new Error('4.2.0 mailbox busy, try again later'), { responseCode: 451 }));
            }
            const id = /^Message-ID:\s*(<[^>]+>)/im.exec(head.split(/\r?\n\r?\n/)[0])?.[1] ?? '(none)';
            received.set(id, (received.get(id) ?? 0) + 1);
            callback();
          });
        });
      },
    });
    await new Promise<void>((resolve) => relay.listen(0, '127.0.0.1', () => resolve()));
    db = await realDbModule([MailModule], { env: { SMTP_RELAY_URL: `smtp://127.0.0.1:${(relay.server.address() as net.AddressInfo).port}` } });
  });
  afterEach(async () => {
    await db.close();
    await new Promise<void>((resolve) => relay.close(() => resolve()));
  });

  it('retries only the mail the relay refused and marks the others sent once', async () => {
    await enqueue(12, (i) => (i === 5 ? 'busy@member.example.jp' : `m${i}@member.example.jp`));
    refused.add('busy@member.example.jp');
    const before = Date.now();

    expect(await db.module.get(OutboxService).deliverDue()).toBe(11);
    expect(mostInData).toBeGreaterThan(1); // the batch really went out several at a time

    const after = await rows();
    const busy = after.find((r) => r.to_address === 'busy@member.example.jp')!;
    expect(busy).toMatchObject({ status: 'queued' });
    expect(Number(busy.attempts)).toBe(1);
    expect(busy.last_error).toContain('451');
    expect(Number(busy.next_attempt_at)).toBeGreaterThanOrEqual(before + 30_000); // back-off, not the claim's 15 minutes
    expect(Number(busy.next_attempt_at)).toBeLessThan(before + 15 * 60_000);
    const others = after.filter((r) => r !== busy);
    expect(others.filter((r) => r.status !== 'sent' || Number(r.attempts) !== 1)).toEqual([]);
    expect(others.filter((r) => received.get(r.message_id_header) !== 1)).toEqual([]);
    expect(received.has(busy.message_id_header)).toBe(false);

    // The back-off has passed and the mailbox takes mail again: only the refused one goes out.
    refused.clear();
    await db.module.get(DataSource).query(`UPDATE outbound_mails SET next_attempt_at = 0 WHERE id = ${Number(busy.id)}`);
    expect(await db.module.get(OutboxService).deliverDue()).toBe(1);
    const final = await rows();
    expect(final.filter((r) => r.status !== 'sent')).toEqual([]);
    expect(Number(final.find((r) => r.id === busy.id)!.attempts)).toBe(2);
    expect(final.filter((r) => r.id !== busy.id && Number(r.attempts) !== 1)).toEqual([]);
    expect(final.filter((r) => received.get(r.message_id_header) !== 1)).toEqual([]);
    expect([...received.values()].reduce((n, k) => n + k, 0)).toBe(12);
  });

  it('fails at once a mail the relay refuses for good (5xx) and retries one it defers (4xx)', async () => {
    await enqueue(8, (i) => ['nosuchuser@member.example.jp', 'greylisted@member.example.jp'][i] ?? `m${i}@member.example.jp`);
    rcptReplies.set('nosuchuser@member.example.jp', [550, '5.1.1 no such user']);
    rcptReplies.set('greylisted@member.example.jp', [451, '4.7.1 greylisted, try again later']);
    const before = Date.now();

    expect(await db.module.get(OutboxService).deliverDue()).toBe(6);
    const after = await rows();
    const refusedMail = after.find((r) => r.to_address === 'nosuchuser@member.example.jp')!;
    expect(refusedMail.status).toBe('failed');
    expect(Number(refusedMail.attempts)).toBe(1);
    expect(refusedMail.last_error).toBe('refused: 550 5.1.1 no such user'); // the relay's answer, with its code
    const deferred = after.find((r) => r.to_address === 'greylisted@member.example.jp')!;
    expect(deferred.status).toBe('queued');
    expect(Number(deferred.attempts)).toBe(1);
    expect(deferred.last_error).toContain('451 4.7.1 greylisted');
    expect(Number(deferred.next_attempt_at)).toBeGreaterThanOrEqual(before + 30_000);
    const others = after.filter((r) => r !== refusedMail && r !== deferred);
    expect(others.filter((r) => r.status !== 'sent' || Number(r.attempts) !== 1 || received.get(r.message_id_header) !== 1)).toEqual([]);

    // Later, with every back-off passed and the relay willing again: only the deferred one goes out.
    rcptReplies.clear();
    await db.module.get(DataSource).query('UPDATE outbound_mails SET next_attempt_at = 0');
    expect(await db.module.get(OutboxService).deliverDue()).toBe(1);
    const final = await rows();
    expect(final.find((r) => r.id === deferred.id)).toMatchObject({ status: 'sent' });
    expect(final.find((r) => r.id === refusedMail.id)).toMatchObject({ status: 'failed', last_error: 'refused: 550 5.1.1 no such user' });
    expect(Number(final.find((r) => r.id === refusedMail.id)!.attempts)).toBe(1);
    expect(received.has(refusedMail.message_id_header)).toBe(false);
  });

  it('records a batch the relay refuses altogether as one retry each', async () => {
    await enqueue(6, (i) => `down${i}@member.example.jp`);
    for (let i = 0; i < 6; i++) refused.add(`down${i}@member.example.jp`);

    expect(await db.module.get(OutboxService).deliverDue()).toBe(0);
    const after = await rows();
    expect(after.filter((r) => r.status !== 'queued' || Number(r.attempts) !== 1 || !r.last_error?.includes('451'))).toEqual([]);
    expect(received.size).toBe(0);
    expect(await db.module.get(OutboxService).deliverDue()).toBe(0); // not due again before the back-off
    expect((await rows()).every((r) => Number(r.attempts) === 1)).toBe(true);
  });

  it('finishes the batch under way at shutdown and leaves the rest queued for later', async () => {
    const second = await realDbModule([MailModule], { sameDatabaseAs: db.config });
    await enqueue(130, (i) => `s${i}@member.example.jp`);
    let release!: () => void;
    gate = new Promise<void>((resolve) => { release = resolve; });

    const tick = second.module.get(OutboxSenderJob).tick();
    while (inData === 0) await new Promise((r) => setTimeout(r, 10));
    let closed = false;
    const closing = second.close().then(() => { closed = true; });
    await new Promise((r) => setTimeout(r, 200));
    expect(closed).toBe(false); // waits for the batch the relay is holding
    release();
    await closing;
    await tick;

    const after = await rows();
    // The first batch (100) was delivered and recorded; the next one was never claimed.
    expect(after.filter((r) => r.status === 'sent' && Number(r.attempts) === 1)).toHaveLength(100);
    const rest = after.filter((r) => r.status !== 'sent');
    expect(rest).toHaveLength(30);
    expect(rest.filter((r) => r.status !== 'queued' || Number(r.attempts) !== 0 || Number(r.next_attempt_at) > Date.now())).toEqual([]);
    expect(after.filter((r) => r.status === 'sent' && received.get(r.message_id_header) !== 1)).toEqual([]);
    expect([...received.values()].reduce((n, k) => n + k, 0)).toBe(100);
  });
});
