#!/usr/bin/env node
// npm run bench (third part): the assignment and queue figures of issue 5, on the built server over
// a SQLite database holding 100,000 consults (10,000 of them open and assigned) and 200 experts; with
// BENCH_DATABASE=postgres, over a fresh PostgreSQL database holding 1,000,000 consults (issue 8's
// target), seeded set-based (generate_series) in a minute or so. BENCH_CONSULTS changes the count.
// BENCH_PG_DATABASE=<name> runs on that PostgreSQL database instead, kept afterwards: created and
// seeded by the first run, reused as it is by the next ones (their migrations applied by the server),
// so that before/after figures read the same rows without seeding again. BENCH_QUEUE_REQUESTS sets
// the requests per queue page (40).
// 1. The assignment decision (skills, absences, loads, the rule) through GET /api/assignment/preview,
//    timed inside the server (Server-Timing) and from the client.
// 2. Queue pages of the console (the views, a filter, a deep page), timed from the client: HTTP on
//    loopback included, so an upper bound of the server time.
const { spawn, execFileSync } = require('child_process');
const fs = require('fs');
const os = require('os');
const path = require('path');
const sqlite3 = require('sqlite3');
const { PG_URL, benchDatabase, benchDatabaseKind, benchMembersCsv, exec, freePort, pgReachable, printSkipped, run, waitForServer } = require('./support');

const ROOT = path.resolve(__dirname, '..');
const KIND = benchDatabaseKind();
const CONSULTS = Number(process.env.BENCH_CONSULTS ?? (KIND === 'postgres' ? 1_000_000 : 100_000));
const OPEN = 10_000;
const QUEUE_REQUESTS = Number(process.env.BENCH_QUEUE_REQUESTS ?? 40);
const EXPERTS = 200;
const CATEGORIES = ['ransomware', 'malware', 'phishing', 'unauthorized_access', 'data_leak', 'ddos', 'defacement', 'vulnerability', 'external_report', 'account_compromise', 'general'];
const OPEN_STATUSES = ['new', 'open', 'waiting_member'];
const SLA = ['on_track', 'on_track', 'on_track', 'at_risk', 'breached'];


async function seed(file) {
  const db = new sqlite3.Database(file);
  await run(db, 'PRAGMA journal_mode = WAL');
  await run(db, 'BEGIN');
  const now = Date.parse('2026-11-25T12:00:00+09:00');
  const first = Date.parse('2025-12-01T00:00:00+09:00');
  const experts = [];
  for (let i = 0; i < EXPERTS; i++) {
    const skills = [CATEGORIES[i % 11], CATEGORIES[(i * 7 + 3) % 11]].join(',');
    await run(db, "INSERT INTO staff_users (email, name, role, password_hash, skills, active, capacity, last_assignment_seq, created_at) VALUES (?, ?, 'expert', NULL, ?, 1, ?, ?, ?)", [`expert${i}@bench.test`, `専門家${i}`, skills, 40 + (i % 40), i, first]);
  }
  const rows = await new Promise((resolve, reject) => db.all("SELECT id FROM staff_users WHERE role = 'expert' ORDER BY id", (err, r) => (err ? reject(err) : resolve(r))));
  experts.push(...rows.map((r) => r.id));
  for (let i = 0; i < 20; i++) {
    await run(db, 'INSERT INTO staff_absences (user_id, starts_on, ends_on, note, created_at) VALUES (?, ?, ?, ?, ?)', [experts[i * 7], '2026-11-20', '2026-12-05', '休暇', now]);
  }
  const consult = db.prepare('INSERT INTO consults (number, member_id, subject, status, category, priority, assignee_id, reply_address, received_at, first_due_at, due_at, first_response_at, last_message_at, created_at, updated_at, sla_state) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)');
  for (let i = 1; i <= CONSULTS; i++) {
    const open = i > CONSULTS - OPEN;
    const received = first + Math.floor((i / CONSULTS) * (now - first));
    const due = received + 3 * 86_400_000;
    const status = open ? OPEN_STATUSES[i % 3] : (i % 4 ? 'closed' : 'resolved');
    // Most open consults are assigned; some wait unassigned.
    const assignee = open && i % 20 === 0 ? null : experts[(i * 13) % EXPERTS];
    await exec(consult, [
      i, 1 + (i % 200), `相談 ${i}`, status, CATEGORIES[i % 11], ['urgent', 'high', 'normal', 'normal', 'low'][i % 5], assignee,
      `m${i % 200}@bench.example.jp`, received, due, open ? due : null, open ? null : received + 3_600_000, received, received, received,
      open ? SLA[i % 5] : 'met',
    ]);
  }
  await new Promise((r) => consult.finalize(r));
  await run(db, "UPDATE counters SET value = ? WHERE name = 'consult_number'", [CONSULTS]);
  await run(db, 'COMMIT');
  await new Promise((r) => db.close(r));
}

/**
 * The same data as seed(), written by PostgreSQL itself: one INSERT … SELECT over generate_series
 * per table (the same formulas, so both databases hold the same consults), then VACUUM ANALYZE: a
 * database in use has been through autovacuum, and the counts' index-only scans need its visibility
 * map (right after a bulk insert, every index entry is checked against the table).
 */
async function seedPostgres(db) {
  const now = Date.parse('2026-11-25T12:00:00+09:00');
  const first = Date.parse('2025-12-01T00:00:00+09:00');
  const cats = `ARRAY[${CATEGORIES.map((c) => `'${c}'`).join(',')}]`;
  await db.query(`INSERT INTO staff_users (email, name, role, password_hash, skills, active, capacity, last_assignment_seq, created_at)
    SELECT 'expert' || i || '@bench.test', '専門家' || i, 'expert', NULL, (${cats})[1 + i % 11] || ',' || (${cats})[1 + (i * 7 + 3) % 11], true, 40 + i % 40, i, ${first}
    FROM generate_series(0, ${EXPERTS - 1}) AS i`);
  await db.query(`INSERT INTO staff_absences (user_id, starts_on, ends_on, note, created_at)
    SELECT e.ids[1 + i * 7], '2026-11-20', '2026-12-05', '休暇', ${now}
    FROM generate_series(0, 19) AS i, (SELECT array_agg(id ORDER BY id) AS ids FROM staff_users WHERE role = 'expert') AS e`);
  await db.query(`INSERT INTO consults (number, member_id, subject, status, category, priority, assignee_id, reply_address, received_at, first_due_at, due_at, first_response_at, last_message_at, created_at, updated_at, sla_state)
    SELECT i, 1 + i % 200, '相談 ' || i,
      CASE WHEN open THEN (ARRAY['new','open','waiting_member'])[1 + i % 3] WHEN i % 4 <> 0 THEN 'closed' ELSE 'resolved' END,
      (${cats})[1 + i % 11], (ARRAY['urgent','high','normal','normal','low'])[1 + i % 5],
      CASE WHEN open AND i % 20 = 0 THEN NULL ELSE e.ids[1 + (i * 13) % ${EXPERTS}] END,
      'm' || (i % 200) || '@bench.example.jp', received, received + 259200000, CASE WHEN open THEN received + 259200000 END,
      CASE WHEN open THEN NULL ELSE received + 3600000 END, received, received, received,
      CASE WHEN open THEN (ARRAY['on_track','on_track','on_track','at_risk','breached'])[1 + i % 5] ELSE 'met' END
    FROM (SELECT i, i > ${CONSULTS - OPEN} AS open, ${first}::bigint + (i::bigint * ${now - first}) / ${CONSULTS} AS received FROM generate_series(1, ${CONSULTS}) AS i) AS g,
      (SELECT array_agg(id ORDER BY id) AS ids FROM staff_users WHERE role = 'expert') AS e`);
  await db.query(`SELECT setval('consult_number_seq', ${CONSULTS})`); // the next consult number (migration IntakeCounters)
  await db.query('VACUUM ANALYZE');
}

const p95 = (xs) => { const s = [...xs].sort((a, b) => a - b); return Math.round(s[Math.min(s.length - 1, Math.ceil(s.length * 0.95) - 1)] * 100) / 100; };
const median = (xs) => { const s = [...xs].sort((a, b) => a - b); return Math.round(s[Math.floor(s.length / 2)] * 100) / 100; };

async function timed(url, init) {
  const began = process.hrtime.bigint();
  const res = await fetch(url, init);
  const body = await res.text();
  if (!res.ok) throw new Error(`${url} answered ${res.status}: ${body.slice(0, 200)}`);
  return { ms: Number(process.hrtime.bigint() - began) / 1e6, res, body };
}

/** A console session: the login form's CSRF token and cookie, then the sign-in. */
async function login(base, email, password) {
  const page = await fetch(`${base}/login`);
  const cookie = page.headers.getSetCookie().map((c) => c.split(';')[0]).join('; ');
  const csrf = /name="_csrf" value="([^"]+)"/.exec(await page.text())[1];
  const res = await fetch(`${base}/login`, {
    method: 'POST', redirect: 'manual', body: new URLSearchParams({ _csrf: csrf, email, password }).toString(),
    headers: { cookie, 'content-type': 'application/x-www-form-urlencoded' },
  });
  if (res.status !== 303) throw new Error(`login answered ${res.status}`);
  return res.headers.getSetCookie().map((c) => c.split(';')[0]).join('; ');
}

/**
 * The PostgreSQL database named by BENCH_PG_DATABASE, created when missing and never dropped;
 * `seeded()` tells whether an earlier run already wrote the consults.
 */
async function keptDatabase(name) {
  if (!/^\w+$/.test(name)) throw new Error(`BENCH_PG_DATABASE: ${name} is not a plain database name`);
  const { Client } = require('pg');
  const admin = new Client({ connectionString: PG_URL });
  await admin.connect();
  try {
    if (!(await admin.query('SELECT 1 FROM pg_database WHERE datname = $1', [name])).rowCount) await admin.query(`CREATE DATABASE ${name}`);
  } finally { await admin.end(); }
  const u = new URL(PG_URL);
  u.pathname = `/${name}`;
  const client = new Client({ connectionString: u.toString() });
  await client.connect();
  return {
    kind: 'postgres', url: u.toString(), database: name,
    query: async (sql, params) => (await client.query(sql, params)).rows,
    seeded: async () => (await client.query("SELECT to_regclass('consults') IS NOT NULL AS t")).rows[0].t
      && (await client.query('SELECT 1 FROM consults WHERE number = $1', [CONSULTS])).rowCount > 0,
    drop: async () => { await client.end(); console.log(`kept database ${name} (BENCH_PG_DATABASE)`); },
  };
}

async function main() {
  if (KIND === 'postgres' && !(await pgReachable())) return printSkipped('assignment');
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'kkd-bench-assign-'));
  const kept = KIND === 'postgres' && process.env.BENCH_PG_DATABASE;
  const db = kept ? await keptDatabase(kept) : await benchDatabase(KIND, dataDir, 'assign');
  const [httpPort, smtpPort] = [await freePort(), await freePort()];
  const env = { ...process.env, DATA_DIR: dataDir, DATABASE_URL: db.url, HTTP_PORT: String(httpPort), SMTP_PORT: String(smtpPort), LOG_LEVEL: 'warn', RUN_SCHEDULER: 'false', ADMIN_EMAIL: 'admin@helpdesk.test', ADMIN_PASSWORD: 'bench-admin-password',
    // The pages are measured, not the sign-in: no TOTP step for the bench's manager.
    TOTP_REQUIRED_ROLES: 'none' };
  const cli = (...args) => execFileSync(process.execPath, [path.join(ROOT, 'dist/apps/cli/main.js'), ...args], { env, input: 'bench-manager-password\n' }).toString().trim();
  const members = benchMembersCsv(200);
  fs.writeFileSync(path.join(dataDir, 'members.csv'), members);
  const server = { proc: null };
  try {
    const seedBegan = Date.now();
    if (kept && (await db.seeded())) {
      console.log(`reusing the consults of database ${kept}`);
    } else {
      cli('members:import', path.join(dataDir, 'members.csv')); // applies the migrations
      cli('users:create', '--email', 'manager@bench.test', '--name', '管理者', '--role', 'manager', '--password-stdin');
      if (KIND === 'postgres') await seedPostgres(db);
      else await seed(db.file);
    }
    const seedSeconds = Math.round((Date.now() - seedBegan) / 100) / 10;
    const token = cli('tokens:create', '--email', 'manager@bench.test');
    server.proc = spawn(process.execPath, [path.join(ROOT, 'dist/apps/server/main.js')], { env, stdio: ['ignore', 'inherit', 'inherit'] });
    const base = `http://127.0.0.1:${httpPort}`;
    await waitForServer(httpPort);

    const decision = [];
    const decisionHttp = [];
    for (let i = 0; i < 330; i++) {
      const { ms, res } = await timed(`${base}/api/assignment/preview?category=${CATEGORIES[i % 11]}`, { headers: { authorization: `Bearer ${token}` } });
      if (i < 30) continue; // warm-up
      decisionHttp.push(ms);
      decision.push(Number(/dur=([\d.]+)/.exec(res.headers.get('server-timing'))[1]));
    }

    const cookie = await login(base, 'manager@bench.test', 'bench-manager-password');
    const pages = {
      'すべて (newest, page 1)': '/consults?view=all',
      '未割当 (due)': '/consults?view=unassigned',
      '期限間近 (due)': '/consults?view=at_risk',
      '期限超過 (due)': '/consults?view=breached',
      'すべて, category + priority filter': '/consults?view=all&category=ransomware&priority=urgent&order=due',
      'すべて, page 1,000': '/consults?view=all&page=1000',
      // Status-only filters (the console's 状態 select, the API's ?status=): one status's total.
      'すべて, status=open': '/consults?view=all&status=open',
      'すべて, status=resolved': '/consults?view=all&status=resolved',
      'すべて, status=closed': '/consults?view=all&status=closed',
      'API GET /api/tickets?status=closed': '/api/tickets?status=closed',
    };
    const queue = {};
    for (const [name, url] of Object.entries(pages)) {
      const times = [];
      for (let i = 0; i < QUEUE_REQUESTS + 3; i++) {
        const { ms } = await timed(`${base}${url}`, { headers: url.startsWith('/api/') ? { authorization: `Bearer ${token}` } : { cookie } });
        if (i >= 3) times.push(ms);
      }
      queue[name] = { p95: p95(times), median: median(times) };
    }

    console.log(`\n| figure (${CONSULTS.toLocaleString('en')} consults, ${OPEN.toLocaleString('en')} open, ${EXPERTS} experts, ${KIND === 'postgres' ? 'PostgreSQL' : 'SQLite'}, seeded in ${seedSeconds} s) | p95 | median | target |\n| --- | --- | --- | --- |`);
    console.log(`| assignment decision, inside the server (300 decisions) | ${p95(decision)} ms | ${median(decision)} ms | < 5 ms p95 |`);
    console.log(`| assignment decision through HTTP | ${p95(decisionHttp)} ms | ${median(decisionHttp)} ms | |`);
    for (const [name, t] of Object.entries(queue)) console.log(`| queue page ${name}, through HTTP (${QUEUE_REQUESTS} requests) | ${t.p95} ms | ${t.median} ms | < 100 ms p95 |`);
    console.log('');
    console.log(JSON.stringify({ benchmark: 'assignment', database: KIND, seedSeconds, consults: CONSULTS, open: OPEN, experts: EXPERTS, decisionP95Ms: p95(decision), decisionHttpP95Ms: p95(decisionHttp), queue, node: process.version }));
  } finally {
    if (server.proc) {
      server.proc.kill('SIGTERM');
      await new Promise((r) => server.proc.once('exit', r));
    }
    await db.drop();
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
}

main().catch((err) => { console.error(err); process.exit(1); });
