import { ChildProcess, execFile, spawn } from 'child_process';
import fs from 'fs';
import net from 'net';
import path from 'path';
import { Client } from 'pg';
import { Database, OPEN_READONLY } from 'sqlite3';
import { AppConfig } from '@kkd/core';
import { buildMail, createTestDatabase, deliverOverSmtp, dropTestDatabase, membersCsv, testConfig } from '@kkd/testing';
import { ConsoleClient, MEMBERS } from './support/test-server';

const SERVER = path.resolve(__dirname, '../../dist/apps/server/main.js');
const CLI = path.resolve(__dirname, '../../dist/apps/cli/main.js');
const INTAKE = 'kakekomi@helpdesk.test';
const EXPERT = { email: 'twin@helpdesk.test', name: '双子 太郎', password: 'Futago-Kyoto-2026' };

const freePort = () => new Promise<number>((resolve) => {
  const s = net.createServer().listen(0, '127.0.0.1', () => {
    const { port } = s.address() as net.AddressInfo;
    s.close(() => resolve(port));
  });
});

interface Instance { child: ChildProcess; base: string; smtpPort: number }

/**
 * Issue 8, several instances: two built server processes on one database (PostgreSQL in the
 * PostgreSQL pass, one SQLite file otherwise) and one DATA_DIR, each with its own HTTP and SMTP
 * port and its scheduler on, as deployed. A console session started on one is good on the other
 * (sessions and CSRF tokens live in the database), mail taken by one is in the other's queue, and
 * failed sign-ins count against the same limit whichever instance they reach.
 */
describe('two server processes on one database', () => {
  let config: AppConfig;
  let a: Instance;
  let b: Instance;

  const cli = (env: Record<string, string>, args: string[], input?: string) => new Promise<void>((resolve, reject) => {
    const child = execFile(process.execPath, [CLI, ...args], { env: { ...process.env, ...env } }, (err, _out, stderr) => (err ? reject(new Error(stderr)) : resolve()));
    child.stdin!.end(input ?? '');
  });

  const start = async (shared: Record<string, string>): Promise<Instance> => {
    const [httpPort, smtpPort] = [await freePort(), await freePort()];
    const child = spawn(process.execPath, [SERVER], { env: { ...process.env, ...shared, HTTP_PORT: String(httpPort), SMTP_PORT: String(smtpPort) } });
    await new Promise<void>((resolve, reject) => {
      let out = '';
      child.stdout!.on('data', (c: Buffer) => {
        out += c;
        if (/ready \(HTTP \d+, SMTP \d+/.test(out)) resolve();
      });
      child.stderr!.on('data', (c: Buffer) => { out += c; });
      child.once('exit', (code) => reject(new Error(`server exited (${code}) before ready: ${out.slice(-500)}`)));
    });
    return { child, base: `http://127.0.0.1:${httpPort}`, smtpPort };
  };

  const stop = async (instance: Instance | undefined) => {
    if (!instance || instance.child.exitCode !== null) return;
    const exited = new Promise((r) => instance.child.once('exit', r));
    instance.child.kill('SIGTERM');
    await exited;
  };

  /** The scheduler leases as stored (PostgreSQL gives the bigint expiry as text). */
  const leases = async (): Promise<{ name: string; holder: string; expiresAt: number }[]> => {
    const sql = 'SELECT name, holder, expires_at FROM leases';
    let rows: { name: string; holder: string; expires_at: string | number }[];
    if (config.databaseKind === 'postgres') {
      const client = new Client({ connectionString: config.DATABASE_URL });
      await client.connect();
      rows = await client.query(sql).then((r) => r.rows).finally(() => client.end());
    } else {
      const db = new Database(config.DATABASE_URL.slice('sqlite:'.length), OPEN_READONLY);
      rows = await new Promise<typeof rows>((resolve, reject) => db.all(sql, (err, r) => (err ? reject(err) : resolve(r as typeof rows))))
        .finally(() => new Promise((resolve) => db.close(resolve)));
    }
    return rows.map((r) => ({ name: r.name, holder: r.holder, expiresAt: Number(r.expires_at) }));
  };

  /** A request with a Cookie header of our choosing (the cookie of a session started elsewhere). */
  const request = async (base: string, urlPath: string, cookie: string, form?: Record<string, string>) => {
    const res = await fetch(`${base}${urlPath}`, {
      method: form ? 'POST' : 'GET', redirect: 'manual', body: form ? new URLSearchParams(form).toString() : undefined,
      headers: { cookie, ...(form ? { 'content-type': 'application/x-www-form-urlencoded' } : {}) },
    });
    return { status: res.status, location: res.headers.get('location'), html: await res.text() };
  };

  beforeAll(async () => {
    config = testConfig();
    await createTestDatabase(config);
    const shared = {
      DATA_DIR: config.DATA_DIR, DATABASE_URL: config.DATABASE_URL, LOG_LEVEL: 'log', TOTP_REQUIRED_ROLES: 'none',
      ADMIN_EMAIL: 'admin@helpdesk.test', ADMIN_PASSWORD: 'admin-password-123', INIT_CWD: config.DATA_DIR,
    };
    fs.writeFileSync(path.join(config.DATA_DIR, 'members.csv'), membersCsv(MEMBERS));
    await cli(shared, ['members:import', 'members.csv']); // applies the migrations once
    await cli(shared, ['users:create', '--email', EXPERT.email, '--name', EXPERT.name, '--role', 'expert', '--password-stdin'], `${EXPERT.password}\n`);
    a = await start(shared);
    b = await start(shared);
  }, 60_000);
  afterAll(async () => {
    await stop(a);
    await stop(b);
    await dropTestDatabase(config);
    fs.rmSync(config.DATA_DIR, { recursive: true, force: true });
  });

  it('shows mail taken by one instance in the other instance\'s queue', async () => {
    const mail = buildMail({ from: MEMBERS[0].email, subject: '二台構成の試験 A 受信', body: 'A の SMTP に送りました。' });
    expect((await deliverOverSmtp(a.smtpPort, mail.raw, { from: MEMBERS[0].email, to: [INTAKE] })).code).toBe(250);

    const onB = new ConsoleClient(b.base);
    expect((await onB.login(EXPERT.email, EXPERT.password)).status).toBe(303);
    const queue = await onB.get('/consults?view=all');
    expect(queue.status).toBe(200);
    expect(queue.html).toContain('二台構成の試験 A 受信');
  });

  it('serves a session started on A from B, takes B a form posted with A\'s CSRF token, and ends it everywhere on sign-out', async () => {
    const mail = buildMail({ from: MEMBERS[1].email, subject: '二台構成のセッション試験', body: '本文' });
    expect((await deliverOverSmtp(b.smtpPort, mail.raw, { from: MEMBERS[1].email, to: [INTAKE] })).code).toBe(250);

    const onA = new ConsoleClient(a.base);
    expect((await onA.login(EXPERT.email, EXPERT.password)).status).toBe(303);
    const cookie = onA.cookieHeader();
    const queueOnA = await onA.get('/consults?view=all');
    const number = /href="\/consults\/(\d+)"[^>]*>[^<]*二台構成のセッション試験/.exec(queueOnA.html)?.[1];
    expect(number).toBeDefined();
    const csrf = ConsoleClient.csrfOf((await onA.get(`/consults/${number}`)).html);

    // The same cookie on B: the pages load, signed in as the same account.
    const pageOnB = await request(b.base, `/consults/${number}`, cookie);
    expect(pageOnB.status).toBe(200);
    expect(pageOnB.html).toContain('二台構成のセッション試験');
    expect(pageOnB.html).toContain(EXPERT.name);
    expect((await request(b.base, '/consults?view=all', cookie)).status).toBe(200);

    // A form on B with the token A's page carried: taken, and visible on A.
    const note = await request(b.base, `/consults/${number}/notes`, cookie, { _csrf: csrf, body: 'B から書いたメモ（A のトークン）' });
    expect(note.status).toBe(303);
    expect((await onA.get(`/consults/${number}`)).html).toContain('B から書いたメモ（A のトークン）');
    // Without the token B refuses it, as A would.
    expect((await request(b.base, `/consults/${number}/notes`, cookie, { body: 'トークンなし' })).status).toBe(403);

    // Signed out on B: A no longer knows the cookie.
    expect((await request(b.base, '/logout', cookie, { _csrf: csrf })).status).toBe(303);
    const afterOnA = await request(a.base, '/consults', cookie);
    expect(afterOnA.status).toBe(303);
    expect(afterOnA.location).toMatch(/^\/login/);
    expect((await request(b.base, '/consults', cookie)).status).toBe(303);
  });

  it('counts failed sign-ins across both instances against one limit', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 6; i++) {
      const instance = i % 2 === 0 ? a : b;
      statuses.push((await new ConsoleClient(instance.base).login(EXPERT.email, `Wrong-Guess-${i}-2026`)).status);
    }
    // Five failures (three on A, two on B) reach the limit: the sixth, on B, is refused unchecked.
    expect(statuses).toEqual([401, 401, 401, 401, 401, 429]);
    expect((await new ConsoleClient(a.base).login(EXPERT.email, EXPERT.password)).status).toBe(429);
    expect((await new ConsoleClient(b.base).login(EXPERT.email, EXPERT.password)).status).toBe(429);
  });

  // Last: it stops both instances.
  it('hands its scheduler leases back on SIGTERM, so a rolling restart waits for no lease to expire', async () => {
    // Both schedulers tick the outbox every 2 s: one of them holds its lease (30 s) soon.
    for (let i = 0; i < 100 && !(await leases()).some((l) => l.name === 'outbox-sender' && l.expiresAt > Date.now()); i++) {
      await new Promise((r) => setTimeout(r, 100));
    }
    const held = (await leases()).filter((l) => l.expiresAt > Date.now());
    expect(held.map((l) => l.name)).toContain('outbox-sender');

    await stop(a);
    expect(a.child.exitCode).toBe(0);
    await stop(b);
    expect(b.child.exitCode).toBe(0);
    // Every lease either process held is free now, not only after its expiry.
    expect((await leases()).filter((l) => l.expiresAt > Date.now())).toEqual([]);
  }, 30_000);
});
