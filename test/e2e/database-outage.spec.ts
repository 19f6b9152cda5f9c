import net from 'net';
import { randomBytes } from 'crypto';
import { Database } from 'sqlite3';
import { buildMail, deliverOverSmtp } from '@kkd/testing';
import { ConsoleClient, EXPERT, MEMBERS, startTestServer, TestServer } from './support/test-server';

const INTAKE = 'kakekomi@helpdesk.test';

/** A TCP relay to PostgreSQL that can be cut (every connection dropped, new ones refused) and restored. */
class CuttableRelay {
  private server: net.Server | null = null;
  private readonly sockets = new Set<net.Socket>();
  port = 0;

  constructor(private readonly target: { host: string; port: number }) {}

  async up(): Promise<void> {
    this.server = net.createServer((client) => {
      const upstream = net.connect(this.target.port, this.target.host);
      for (const s of [client, upstream]) {
        this.sockets.add(s);
        s.on('close', () => this.sockets.delete(s));
        s.on('error', () => s.destroy());
      }
      client.pipe(upstream).pipe(client);
    });
    await new Promise<void>((resolve) => this.server!.listen(this.port, '127.0.0.1', resolve));
    this.port = (this.server.address() as net.AddressInfo).port;
  }

  async down(): Promise<void> {
    for (const s of this.sockets) s.destroy();
    await new Promise<void>((resolve) => this.server!.close(() => resolve()));
  }
}

/**
 * Issue 8 fault (c): the database goes away for a while. Mail arriving meanwhile gets 451 (the
 * sender keeps it and retries) and leaves nothing half-written; the API and console answer 503
 * with Retry-After and /metrics keeps its process figures; when the database is back, the
 * service resumes by itself and the retried mail is stored once.
 */
describe('the database briefly unreachable', () => {
  let t: TestServer;
  let relay: CuttableRelay | null = null;
  const pg = process.env.TEST_DATABASE_URL;

  beforeAll(async () => {
    if (pg) {
      const url = new URL(pg);
      relay = new CuttableRelay({ host: url.hostname, port: Number(url.port || 5432) });
      await relay.up();
      url.port = String(relay.port);
      url.pathname = `/kkd_test_${randomBytes(6).toString('hex')}`;
      t = await startTestServer({ DATABASE_URL: url.toString() });
    } else {
      t = await startTestServer();
    }
  });
  afterAll(async () => {
    await t.close();
    await relay?.down();
  });

  /** Makes the database unusable for writes until the returned function is called. */
  const outage = async (): Promise<() => Promise<void>> => {
    if (relay) {
      await relay.down();
      return () => relay!.up();
    }
    // SQLite: another process holds the write lock past the server's busy timeout.
    const db = new Database(t.config.DATABASE_URL.replace(/^sqlite:/, ''));
    await new Promise<void>((resolve, reject) => db.exec('BEGIN EXCLUSIVE', (err) => (err ? reject(err) : resolve())));
    return () => new Promise<void>((resolve) => db.exec('ROLLBACK', () => db.close(() => resolve())));
  };

  const consults = async () => (await (await t.api('/api/tickets')).json()).total as number;

  it('answers 451 while it is away, keeps nothing half-written, and takes the retried mail once it is back', async () => {
    const sender = MEMBERS[0].email;
    const first = buildMail({ from: sender, subject: '障害前の相談', body: '本文' });
    expect((await deliverOverSmtp(t.smtpPort, first.raw, { from: sender, to: [INTAKE] })).code).toBe(250);
    expect(await consults()).toBe(1);

    const staff = new ConsoleClient(t.baseUrl);
    expect((await staff.login(EXPERT.email, EXPERT.password)).status).toBe(303);

    const restore = await outage();
    const during = buildMail({ from: sender, subject: '障害中の相談', body: '本文' });
    let refused: Awaited<ReturnType<typeof deliverOverSmtp>> | undefined;
    try {
      refused = await deliverOverSmtp(t.smtpPort, during.raw, { from: sender, to: [INTAKE] });
      if (relay) {
        expect((await fetch(`${t.baseUrl}/healthz`)).status).toBe(503);
        // The API and the console say "try again later", not 500: the fault is not the request's.
        const api = await t.api('/api/tickets');
        expect(api.status).toBe(503);
        expect(Number(api.headers.get('retry-after'))).toBeGreaterThan(0);
        expect(await api.json()).toMatchObject({ statusCode: 503, error: 'unavailable' });
        const page = await fetch(`${t.baseUrl}/consults`, { headers: { cookie: staff.cookieHeader() }, redirect: 'manual' });
        expect(page.status).toBe(503);
        expect(page.headers.get('retry-after')).toBe(api.headers.get('retry-after'));
        expect(await page.text()).toContain('一時的に利用できません');
        // Prometheus keeps the process and intake figures, and learns the database is down.
        const metrics = await fetch(`${t.baseUrl}/metrics`);
        expect(metrics.status).toBe(200);
        const text = await metrics.text();
        expect(text).toContain('kkd_database_up 0');
        expect(text).toMatch(/^kkd_process_resident_memory_bytes \d+/m);
        expect(text).toContain('kkd_intake_messages_total{outcome="consult_opened"} 1');
        expect(text).not.toMatch(/^kkd_consults\{/m);
      }
    } finally {
      await restore();
    }
    expect(refused?.code).toBe(451);

    // Back: the sender's retry is stored once, and nothing of the refused attempt remains.
    expect((await deliverOverSmtp(t.smtpPort, during.raw, { from: sender, to: [INTAKE] })).code).toBe(250);
    expect((await fetch(`${t.baseUrl}/healthz`)).status).toBe(200);
    expect(await (await fetch(`${t.baseUrl}/metrics`)).text()).toContain('kkd_database_up 1');
    expect(await consults()).toBe(2);
    const { items } = await (await t.api(`/api/tickets?q=${encodeURIComponent('障害中の相談')}`)).json();
    const detail = await (await t.api(`/api/tickets/${items[0].number}`)).json();
    expect(detail.messages.filter((m: { direction: string }) => m.direction === 'inbound')).toHaveLength(1);
  }, 60_000);
});
