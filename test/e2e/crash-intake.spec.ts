import { ChildProcess, execFile, spawn } from 'child_process';
import fs from 'fs';
import net from 'net';
import path from 'path';
import { Client } from 'pg';
import { Database } from 'sqlite3';
import { AppConfig } from '@kkd/core';
import { buildMail, createTestDatabase, deliverOverSmtp, dropTestDatabase, membersCsv, testConfig } from '@kkd/testing';
import { MEMBERS } from './support/test-server';

const SERVER = path.resolve(__dirname, '../../dist/apps/server/main.js');
const CLI = path.resolve(__dirname, '../../dist/apps/cli/main.js');
const INTAKE = 'kakekomi@helpdesk.test';
const MAILS = 2000;
const KILL_AFTER = 600;

const freePort = () => new Promise<number>((resolve) => {
  const s = net.createServer().listen(0, '127.0.0.1', () => {
    const { port } = s.address() as net.AddressInfo;
    s.close(() => resolve(port));
  });
});

/** Every row of a query on the test database, SQLite or PostgreSQL. */
async function query(config: AppConfig, sql: string): Promise<Record<string, unknown>[]> {
  if (config.databaseKind === 'postgres') {
    const client = new Client({ connectionString: config.DATABASE_URL });
    await client.connect();
    try {
      return (await client.query(sql)).rows;
    } finally {
      await client.end();
    }
  }
  const db = new Database(config.DATABASE_URL.replace(/^sqlite:/, ''));
  try {
    return await new Promise((resolve, reject) => db.all(sql, (err: Error | null, rows: Record<string, unknown>[]) => (err ? reject(err) : resolve(rows))));
  } finally {
    db.close();
  }
}

/**
 * Issue 8 fault (a): the server is killed with SIGKILL while a retrying SMTP client (like any
 * mail server: a broken connection or a 4xx means "try again") sends 2,000 mails. After the
 * restart, every mail is present exactly once: a 250 was only ever said after the commit, and a
 * mail committed whose 250 was lost to the kill is recognised when it comes again.
 */
describe('kill -9 during intake', () => {
  let config: AppConfig;
  let env: Record<string, string>;
  let server: ChildProcess | null = null;

  const start = () => new Promise<ChildProcess>((resolve, reject) => {
    const child = spawn(process.execPath, [SERVER], { env: { ...process.env, ...env } });
    let out = '';
    child.stdout.on('data', (c: Buffer) => {
      out += c;
      if (/ready \(HTTP \d+, SMTP \d+/.test(out)) resolve(child);
    });
    child.stderr.on('data', (c: Buffer) => { out += c; });
    child.once('exit', (code) => reject(new Error(`server exited (${code}) before ready: ${out.slice(-500)}`)));
  });

  beforeAll(async () => {
    config = testConfig();
    await createTestDatabase(config);
    env = {
      DATA_DIR: config.DATA_DIR, DATABASE_URL: config.DATABASE_URL, HTTP_PORT: String(await freePort()), SMTP_PORT: String(await freePort()),
      LOG_LEVEL: 'log', RUN_SCHEDULER: 'false', ADMIN_EMAIL: 'admin@helpdesk.test', ADMIN_PASSWORD: 'admin-password-123', INIT_CWD: config.DATA_DIR,
    };
    fs.writeFileSync(path.join(config.DATA_DIR, 'members.csv'), membersCsv(MEMBERS));
    await new Promise<void>((resolve, reject) => execFile(process.execPath, [CLI, 'members:import', 'members.csv'], { env: { ...process.env, ...env } },
      (err, _out, stderr) => (err ? reject(new Error(stderr)) : resolve())));
  });
  afterAll(async () => {
    if (server && server.exitCode === null) server.kill('SIGKILL');
    await dropTestDatabase(config);
    fs.rmSync(config.DATA_DIR, { recursive: true, force: true });
  });

  it('keeps every mail exactly once when the server dies midway and comes back', async () => {
    server = await start();
    const active = MEMBERS.filter((m) => !m.status);
    const mails = Array.from({ length: MAILS }, (_, i) => {
      const from = active[i % active.length].email;
      return { from, ...buildMail({ from, subject: `障害試験 ${i}`, body: `本文 ${i}\n`.repeat(20) }) };
    });
    let accepted = 0;
    let retries = 0;
    let killed: Promise<void> | null = null;
    const port = Number(env.SMTP_PORT);

    const send = async (mail: (typeof mails)[number]) => {
      // A sender gives up after a while too: 100 tries 100 ms apart is far longer than a restart.
      for (let attempt = 1; ; attempt++) {
        const result = await deliverOverSmtp(port, mail.raw, { from: mail.from, to: [INTAKE] }).catch((err: Error) => ({ code: 0, response: err.message }));
        if (result.code === 250) break;
        if (result.code >= 500 || attempt === 100) throw new Error(`not accepted after ${attempt} tries: ${result.code} ${result.response}`);
        retries++;
        await new Promise((r) => setTimeout(r, 100));
      }
      if (++accepted === KILL_AFTER) {
        killed = (async () => {
          const dead = new Promise((r) => server!.once('exit', r));
          server!.kill('SIGKILL');
          await dead;
          await new Promise((r) => setTimeout(r, 500)); // the senders meet a closed port for a while
          server = await start();
        })();
      }
    };
    let next = 0;
    await Promise.all(Array.from({ length: 4 }, async () => {
      while (next < mails.length) await send(mails[next++]);
    }));
    await killed;

    expect(accepted).toBe(MAILS);
    expect(retries).toBeGreaterThan(0); // the kill was felt
    const rows = await query(config, "SELECT message_id_header AS id, COUNT(*) AS n FROM messages WHERE direction = 'inbound' GROUP BY message_id_header");
    const counts = new Map(rows.map((r) => [String(r.id), Number(r.n)]));
    expect(mails.filter((m) => counts.get(m.messageId) !== 1).map((m) => m.messageId)).toEqual([]);
    expect(counts.size).toBe(MAILS);
    expect(Number((await query(config, 'SELECT COUNT(*) AS n FROM consults'))[0].n)).toBe(MAILS);
    const stopped = new Promise((r) => server!.once('exit', r));
    server!.kill('SIGTERM');
    await stopped;
  }, 300_000);
});
