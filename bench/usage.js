#!/usr/bin/env node
// npm run bench (usage part): the monthly usage figures of issue 6.
// A SQLite database with 2,000 members and a year of 100,000 consults (a month of them decided),
// timed on the built server: the managers' usage page, the billing CSV and GET /api/usage for one
// month, while the month is open (computed live) and after it is closed (read from its snapshot).
// With BENCH_DATABASE=postgres, on a fresh PostgreSQL database holding the same rows (seeded set-based).
const { spawn, execFileSync } = require('child_process');
const fs = require('fs');
const os = require('os');
const path = require('path');
const sqlite3 = require('sqlite3');
const { benchDatabase, benchDatabaseKind, benchMembersCsv, exec, freePort, pgReachable, printSkipped, run, waitForServer } = require('./support');

const ROOT = path.resolve(__dirname, '..');
const CONSULTS = Number(process.env.BENCH_CONSULTS ?? 100_000);
const MEMBERS = Number(process.env.BENCH_MEMBERS ?? 2_000);
const MONTH = '2026-10';
const JST = 9 * 3600_000;
const monthOf = (ms) => new Date(ms + JST).toISOString().slice(0, 7);
const KIND = benchDatabaseKind();

/** Consults spread over 12 months and all members; the month's candidates (3rd on) decided. */
async function seed(file) {
  const db = new sqlite3.Database(file);
  await run(db, 'PRAGMA journal_mode = WAL');
  await run(db, 'BEGIN');
  const first = Date.parse('2025-12-01T00:00:00+09:00');
  const span = Date.parse('2026-11-25T12:00:00+09:00') - first;
  const consult = db.prepare('INSERT INTO consults (number, member_id, subject, status, category, priority, reply_address, received_at, last_message_at, created_at, updated_at, sla_state) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)');
  const decision = db.prepare('INSERT INTO usage_decisions (consult_id, month, decision, reason, decided_by, decided_at) VALUES (?, ?, ?, ?, NULL, ?)');
  const ordinals = new Map();
  let decided = 0;
  for (let i = 1; i <= CONSULTS; i++) {
    const received = first + Math.floor((i / CONSULTS) * span);
    // Uneven use: a third of the members write much more often than the rest.
    const member = 1 + ((i * 7) % MEMBERS < MEMBERS / 3 ? (i * 7) % MEMBERS : (i * 13) % MEMBERS);
    await exec(consult, [i, member, `相談 ${i}`, 'closed', 'general', 'normal', `m${member - 1}@bench.example.jp`, received, received, received, received, 'met']);
    const key = `${member}/${monthOf(received)}`;
    const ordinal = (ordinals.get(key) ?? 0) + 1;
    ordinals.set(key, ordinal);
    if (monthOf(received) === MONTH && ordinal >= 3) {
      decided += 1;
      await exec(decision, [i, MONTH, i % 5 === 0 ? 'waived' : 'billable', i % 5 === 0 ? '続報のため' : null, received]);
    }
  }
  await new Promise((r) => consult.finalize(r));
  await new Promise((r) => decision.finalize(r));
  await run(db, "UPDATE counters SET value = ? WHERE name = 'consult_number'", [CONSULTS]);
  await run(db, 'COMMIT');
  await new Promise((r) => db.close(r));
  return decided;
}

/** The same rows as seed(), written by PostgreSQL itself (generate_series, a window for the ordinals), then ANALYZE. */
async function seedPostgres(db) {
  const first = Date.parse('2025-12-01T00:00:00+09:00');
  const span = Date.parse('2026-11-25T12:00:00+09:00') - first;
  const [start, end] = [Date.parse(`${MONTH}-01T00:00:00+09:00`), Date.parse('2026-11-01T00:00:00+09:00')];
  await db.query(`INSERT INTO consults (number, member_id, subject, status, category, priority, reply_address, received_at, last_message_at, created_at, updated_at, sla_state)
    SELECT i, member, '相談 ' || i, 'closed', 'general', 'normal', 'm' || (member - 1) || '@bench.example.jp', received, received, received, received, 'met'
    FROM (SELECT i, ${first}::bigint + (i::bigint * ${span}) / ${CONSULTS} AS received,
        1 + CASE WHEN ((i * 7) % ${MEMBERS}) * 3 < ${MEMBERS} THEN (i * 7) % ${MEMBERS} ELSE (i * 13) % ${MEMBERS} END AS member
      FROM generate_series(1, ${CONSULTS}) AS i) AS g`);
  await db.query(`INSERT INTO usage_decisions (consult_id, month, decision, reason, decided_by, decided_at)
    SELECT id, '${MONTH}', CASE WHEN number % 5 = 0 THEN 'waived' ELSE 'billable' END, CASE WHEN number % 5 = 0 THEN '続報のため' END, NULL, received_at
    FROM (SELECT id, number, received_at, row_number() OVER (PARTITION BY member_id ORDER BY number) AS ordinal
      FROM consults WHERE received_at >= ${start} AND received_at < ${end}) AS m WHERE ordinal >= 3`);
  await db.query(`SELECT setval('consult_number_seq', ${CONSULTS})`); // the next consult number (migration IntakeCounters)
  await db.query('ANALYZE');
  return Number((await db.query(`SELECT COUNT(*) AS n FROM usage_decisions WHERE month = '${MONTH}'`))[0].n);
}

/** Signs in through the login form; returns the Cookie header and the CSRF token of a page. */
async function login(base, email, password) {
  const page = await fetch(`${base}/login`);
  const cookies = page.headers.getSetCookie().map((c) => c.split(';')[0]);
  const csrf = /name="_csrf" value="([^"]+)"/.exec(await page.text())[1];
  const res = await fetch(`${base}/login`, {
    method: 'POST', redirect: 'manual', headers: { cookie: cookies.join('; '), 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ _csrf: csrf, email, password }).toString(),
  });
  const session = res.headers.getSetCookie().map((c) => c.split(';')[0]).filter((c) => !c.endsWith('='));
  const cookie = session.join('; ');
  const usage = await (await fetch(`${base}/usage?month=${MONTH}`, { headers: { cookie } })).text();
  return { cookie, csrf: /name="_csrf" value="([^"]+)"/.exec(usage)[1] };
}

/** Median and fastest of 7 timed requests (after one warm-up), and the last body's size. */
async function timed(url, headers) {
  const times = [];
  let bytes = 0;
  for (let i = 0; i < 8; i++) {
    const began = process.hrtime.bigint();
    const res = await fetch(url, { headers });
    const body = Buffer.from(await res.arrayBuffer());
    if (!res.ok) throw new Error(`${url} answered ${res.status}`);
    if (i > 0) times.push(Number(process.hrtime.bigint() - began) / 1e6);
    bytes = body.length;
  }
  times.sort((a, b) => a - b);
  return { medianMs: Math.round(times[3] * 10) / 10, fastestMs: Math.round(times[0] * 10) / 10, bytes };
}

async function main() {
  if (KIND === 'postgres' && !(await pgReachable())) return printSkipped('usage');
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'kkd-bench-usage-'));
  const db = await benchDatabase(KIND, dataDir, 'usage');
  const [httpPort, smtpPort] = [await freePort(), await freePort()];
  const env = { ...process.env, DATA_DIR: dataDir, DATABASE_URL: db.url, HTTP_PORT: String(httpPort), SMTP_PORT: String(smtpPort), LOG_LEVEL: 'warn', RUN_SCHEDULER: 'false', ADMIN_EMAIL: 'admin@helpdesk.test', ADMIN_PASSWORD: 'bench-admin-password',
    // The pages are measured, not the sign-in: no TOTP step for the bench's manager.
    TOTP_REQUIRED_ROLES: 'none' };
  const cli = (...args) => execFileSync(process.execPath, [path.join(ROOT, 'dist/apps/cli/main.js'), ...args], { env, input: 'bench-manager-password\n' }).toString().trim();
  const server = { process: null };
  try {
    fs.writeFileSync(path.join(dataDir, 'members.csv'), benchMembersCsv(MEMBERS));
    cli('members:import', path.join(dataDir, 'members.csv')); // applies the migrations
    cli('users:create', '--email', 'manager@bench.test', '--name', '管理者', '--role', 'manager', '--password-stdin');
    const seedBegan = Date.now();
    const decided = KIND === 'postgres' ? await seedPostgres(db) : await seed(db.file);
    const seedSeconds = (Date.now() - seedBegan) / 1000;
    const token = cli('tokens:create', '--email', 'manager@bench.test');

    server.process = spawn(process.execPath, [path.join(ROOT, 'dist/apps/server/main.js')], { env, stdio: ['ignore', 'inherit', 'inherit'] });
    const base = `http://127.0.0.1:${httpPort}`;
    await waitForServer(httpPort);
    const { cookie, csrf } = await login(base, 'manager@bench.test', 'bench-manager-password');
    const figures = {};
    for (const state of ['open', 'closed']) {
      if (state === 'closed') {
        const res = await fetch(`${base}/usage/close`, { method: 'POST', redirect: 'manual', headers: { cookie, 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams({ _csrf: csrf, month: MONTH }).toString() });
        if (res.status !== 303) throw new Error(`close answered ${res.status}`);
      }
      figures[state] = {
        page: await timed(`${base}/usage?month=${MONTH}`, { cookie }),
        csv: await timed(`${base}/usage/csv?month=${MONTH}`, { cookie }),
        api: await timed(`${base}/api/usage?month=${MONTH}`, { authorization: `Bearer ${token}` }),
      };
    }
    const monthConsults = (await (await fetch(`${base}/api/usage?month=${MONTH}`, { headers: { authorization: `Bearer ${token}` } })).json()).items.reduce((s, m) => s + m.count, 0);

    console.log('\n| figure | value | target |\n| --- | --- | --- |');
    for (const state of ['open', 'closed']) {
      const f = figures[state];
      console.log(`| usage page ${MONTH} (${state}), median of 7 (fastest ${f.page.fastestMs} ms, ${Math.round(f.page.bytes / 1024)} KB) | ${f.page.medianMs} ms | < 300 ms |`);
      console.log(`| billing CSV ${MONTH} (${state}), median of 7 (fastest ${f.csv.fastestMs} ms, ${Math.round(f.csv.bytes / 1024)} KB) | ${f.csv.medianMs} ms | < 300 ms |`);
      console.log(`| GET /api/usage ${MONTH} (${state}), median of 7 (fastest ${f.api.fastestMs} ms) | ${f.api.medianMs} ms | |`);
    }
    console.log(`| data (${KIND === 'postgres' ? 'PostgreSQL' : 'SQLite'}) | ${MEMBERS.toLocaleString('en')} members, ${CONSULTS.toLocaleString('en')} consults, ${monthConsults.toLocaleString('en')} in ${MONTH}, ${decided.toLocaleString('en')} decided | |\n`);
    console.log(JSON.stringify({ benchmark: 'usage', database: KIND, members: MEMBERS, consults: CONSULTS, monthConsults, decided, seedSeconds,
      openPageMs: figures.open.page.medianMs, openCsvMs: figures.open.csv.medianMs, openApiMs: figures.open.api.medianMs,
      closedPageMs: figures.closed.page.medianMs, closedCsvMs: figures.closed.csv.medianMs, closedApiMs: figures.closed.api.medianMs, node: process.version }));
  } finally {
    if (server.process) {
      server.process.kill('SIGTERM');
      await new Promise((r) => server.process.once('exit', r));
    }
    await db.drop();
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
}

main().catch((err) => { console.error(err); process.exit(1); });
