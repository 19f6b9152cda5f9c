#!/usr/bin/env node
// npm run bench (second part): the SLA figures of issue 3.
// 1. Due-time computations per second, in one process (the pure calendar code, transpiled here).
// 2. The SLA report for one month of a SQLite database holding 100,000 consults and 400,000
//    messages, timed through GET /api/reports/sla on the built server; with BENCH_DATABASE=postgres,
//    of a fresh PostgreSQL database holding the same rows (seeded set-based).
const { spawn, execFileSync } = require('child_process');
const fs = require('fs');
const os = require('os');
const path = require('path');
const ts = require('typescript');
const sqlite3 = require('sqlite3');
const { benchDatabase, benchDatabaseKind, benchMembersCsv, exec, freePort, pgReachable, printSkipped, run, waitForServer } = require('./support');

const ROOT = path.resolve(__dirname, '..');
const CONSULTS = Number(process.env.BENCH_CONSULTS ?? 100_000);
const MONTHS = 12;
const KIND = benchDatabaseKind();

/** The calendar lib's pure files, compiled to CommonJS in a temporary folder. */
function loadCalendar(dir) {
  const src = path.join(ROOT, 'libs/calendar/src');
  for (const file of ['business-calendar.ts', 'utils/civil-date.util.ts', 'utils/company-holidays.util.ts', 'utils/business-time.util.ts']) {
    const out = path.join(dir, file.replace(/\.ts$/, '.js'));
    fs.mkdirSync(path.dirname(out), { recursive: true });
    const { outputText } = ts.transpileModule(fs.readFileSync(path.join(src, file), 'utf8'), { compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2022, esModuleInterop: true } });
    fs.writeFileSync(out, outputText);
  }
  return require(path.join(dir, 'business-calendar.js'));
}

function dueTimeThroughput(dir) {
  const { BusinessCalendar } = loadCalendar(dir);
  const calendar = new BusinessCalendar();
  const start = Date.parse('2026-01-01T00:00:00+09:00');
  const instants = Array.from({ length: 1_000_000 }, (_, i) => new Date(start + ((i * 7_919_993) % (2 * 365 * 86_400_000))));
  let sink = 0;
  for (const t of instants.slice(0, 10_000)) sink += calendar.dueAt(t).getTime(); // warm up
  const began = process.hrtime.bigint();
  for (const t of instants) sink += calendar.dueAt(t).getTime();
  const seconds = Number(process.hrtime.bigint() - began) / 1e9;
  const coldBegan = process.hrtime.bigint();
  for (const t of instants.slice(0, 20_000)) sink += new BusinessCalendar().dueAt(t).getTime(); // a fresh calendar each time: no cache
  const coldSeconds = Number(process.hrtime.bigint() - coldBegan) / 1e9;
  return { perSecond: Math.round(instants.length / seconds), uncachedPerSecond: Math.round(20_000 / coldSeconds), sink };
}


/** Consults over 12 months with 4 messages each: the mail, the first reply, a follow-up, a reply. */
async function seed(file) {
  const db = new sqlite3.Database(file);
  await run(db, 'PRAGMA journal_mode = WAL');
  await run(db, 'BEGIN');
  const now = Date.parse('2026-11-25T12:00:00+09:00');
  const first = Date.parse('2025-12-01T00:00:00+09:00');
  const span = now - first;
  const staff = [];
  for (let i = 0; i < 10; i++) {
    await run(db, "INSERT INTO staff_users (email, name, role, password_hash, skills, active, created_at) VALUES (?, ?, 'expert', NULL, '', 1, ?)", [`expert${i}@bench.test`, `専門家${i}`, first]);
    staff.push(i + 2); // the admin created at start is not there yet: ids follow the manager below
  }
  const consult = db.prepare('INSERT INTO consults (number, member_id, subject, status, category, priority, assignee_id, reply_address, received_at, first_due_at, due_at, first_response_at, last_message_at, created_at, updated_at, sla_state) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)');
  const message = db.prepare('INSERT INTO messages (consult_id, direction, author_id, from_address, message_id_header, subject, text, occurred_at, created_at, due_at, answered_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)');
  for (let i = 1; i <= CONSULTS; i++) {
    const received = first + Math.floor((i / CONSULTS) * span);
    const due = received + 3 * 86_400_000;
    const answered = i % 10 === 0 ? null : received + ((i * 37) % 5) * 86_400_000 + 3_600_000;
    const author = staff[i % staff.length] - 1;
    await exec(consult, [i, 1 + (i % 200), `相談 ${i}`, answered ? 'waiting_member' : 'open', 'general', 'normal', author, `m${i % 200}@bench.example.jp`, received, due, answered ? null : due, answered, answered ?? received, received, received, answered ? (answered <= due ? 'met' : 'met_late') : 'breached']);
    await exec(message, [i, 'inbound', null, `m${i % 200}@bench.example.jp`, `<b${i}@bench>`, `相談 ${i}`, '本文', received, received, due, answered]);
    await exec(message, [i, 'outbound', answered ? author : null, null, `<r${i}@kkd>`, `Re: 相談 ${i}`, '回答', answered ?? received + 1, received, null, null]);
    await exec(message, [i, 'inbound', null, `m${i % 200}@bench.example.jp`, `<f${i}@bench>`, `Re: 相談 ${i}`, '追記', (answered ?? received) + 7_200_000, received, due, answered]);
    await exec(message, [i, 'note', author, null, null, '', 'メモ', (answered ?? received) + 9_000_000, received, null, null]);
  }
  await new Promise((r) => consult.finalize(r));
  await new Promise((r) => message.finalize(r));
  await run(db, "UPDATE counters SET value = ? WHERE name = 'consult_number'", [CONSULTS]);
  await run(db, 'COMMIT');
  await new Promise((r) => db.close(r));
}


/** The same rows as seed(), written by PostgreSQL itself (generate_series), then ANALYZE. */
async function seedPostgres(db) {
  const now = Date.parse('2026-11-25T12:00:00+09:00');
  const first = Date.parse('2025-12-01T00:00:00+09:00');
  await db.query(`INSERT INTO staff_users (email, name, role, password_hash, skills, active, created_at)
    SELECT 'expert' || i || '@bench.test', '専門家' || i, 'expert', NULL, '', true, ${first} FROM generate_series(0, 9) AS i`);
  await db.query(`INSERT INTO consults (number, member_id, subject, status, category, priority, assignee_id, reply_address, received_at, first_due_at, due_at, first_response_at, last_message_at, created_at, updated_at, sla_state)
    SELECT i, 1 + i % 200, '相談 ' || i, CASE WHEN answered IS NULL THEN 'open' ELSE 'waiting_member' END, 'general', 'normal', 1 + i % 10, 'm' || (i % 200) || '@bench.example.jp',
      received, due, CASE WHEN answered IS NULL THEN due END, answered, COALESCE(answered, received), received, received,
      CASE WHEN answered IS NULL THEN 'breached' WHEN answered <= due THEN 'met' ELSE 'met_late' END
    FROM (SELECT i, received, received + 259200000 AS due, CASE WHEN i % 10 = 0 THEN NULL ELSE received + ((i * 37) % 5)::bigint * 86400000 + 3600000 END AS answered
      FROM (SELECT i, ${first}::bigint + (i::bigint * ${now - first}) / ${CONSULTS} AS received FROM generate_series(1, ${CONSULTS}) AS i) AS g) AS h`);
  const messages = 'INSERT INTO messages (consult_id, direction, author_id, from_address, message_id_header, subject, text, occurred_at, created_at, due_at, answered_at)';
  const base = 'COALESCE(c.first_response_at, c.received_at)';
  await db.query(`${messages} SELECT c.id, 'inbound', NULL, c.reply_address, '<b' || c.number || '@bench>', '相談 ' || c.number, '本文', c.received_at, c.received_at, c.received_at + 259200000, c.first_response_at FROM consults c`);
  await db.query(`${messages} SELECT c.id, 'outbound', CASE WHEN c.first_response_at IS NULL THEN NULL ELSE c.assignee_id END, NULL, '<r' || c.number || '@kkd>', 'Re: 相談 ' || c.number, '回答', COALESCE(c.first_response_at, c.received_at + 1), c.received_at, NULL, NULL FROM consults c`);
  await db.query(`${messages} SELECT c.id, 'inbound', NULL, c.reply_address, '<f' || c.number || '@bench>', 'Re: 相談 ' || c.number, '追記', ${base} + 7200000, c.received_at, c.received_at + 259200000, c.first_response_at FROM consults c`);
  await db.query(`${messages} SELECT c.id, 'note', c.assignee_id, NULL, NULL, '', 'メモ', ${base} + 9000000, c.received_at, NULL, NULL FROM consults c`);
  await db.query(`SELECT setval('consult_number_seq', ${CONSULTS})`); // the next consult number (migration IntakeCounters)
  await db.query('ANALYZE');
}

async function reportTiming(dataDir) {
  const db = await benchDatabase(KIND, dataDir, 'sla');
  try {
    return await reportTimingOn(dataDir, db);
  } finally {
    await db.drop();
  }
}

async function reportTimingOn(dataDir, db) {
  const [httpPort, smtpPort] = [await freePort(), await freePort()];
  const env = { ...process.env, DATA_DIR: dataDir, DATABASE_URL: db.url, HTTP_PORT: String(httpPort), SMTP_PORT: String(smtpPort), LOG_LEVEL: 'warn', RUN_SCHEDULER: 'false', ADMIN_EMAIL: 'admin@helpdesk.test', ADMIN_PASSWORD: 'bench-admin-password' };
  const cli = (...args) => execFileSync(process.execPath, [path.join(ROOT, 'dist/apps/cli/main.js'), ...args], { env, input: 'bench-manager-password\n' }).toString().trim();
  const members = benchMembersCsv(200);
  fs.writeFileSync(path.join(dataDir, 'members.csv'), members);
  cli('members:import', path.join(dataDir, 'members.csv')); // applies the migrations
  cli('users:create', '--email', 'manager@bench.test', '--name', '管理者', '--role', 'manager', '--password-stdin');
  const seedBegan = Date.now();
  if (KIND === 'postgres') await seedPostgres(db);
  else await seed(db.file);
  const seedSeconds = (Date.now() - seedBegan) / 1000;
  const token = cli('tokens:create', '--email', 'manager@bench.test');

  const server = spawn(process.execPath, [path.join(ROOT, 'dist/apps/server/main.js')], { env, stdio: ['ignore', 'inherit', 'inherit'] });
  try {
    await waitForServer(httpPort);
    const times = [];
    let body;
    for (let i = 0; i < 7; i++) {
      const began = process.hrtime.bigint();
      const res = await fetch(`http://127.0.0.1:${httpPort}/api/reports/sla?month=2026-10`, { headers: { authorization: `Bearer ${token}` } });
      body = await res.json();
      if (!res.ok) throw new Error(`report answered ${res.status}: ${JSON.stringify(body)}`);
      times.push(Number(process.hrtime.bigint() - began) / 1e6);
    }
    times.sort((a, b) => a - b);
    return { seedSeconds, medianMs: Math.round(times[3] * 10) / 10, fastestMs: Math.round(times[0] * 10) / 10, monthReceived: body.received };
  } finally {
    server.kill('SIGTERM');
    await new Promise((r) => server.once('exit', r));
  }
}

async function main() {
  if (KIND === 'postgres' && !(await pgReachable())) return printSkipped('sla');
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kkd-bench-sla-'));
  try {
    // Inside node_modules so that the compiled files find the holiday package.
    const due = dueTimeThroughput(fs.mkdtempSync(path.join(ROOT, 'node_modules', '.kkd-bench-calendar-')));
    const report = await reportTiming(dir);
    console.log('\n| figure | value | target |\n| --- | --- | --- |');
    console.log(`| due-time computations per second (one process) | ${due.perSecond.toLocaleString('en')} | ≥ 1,000,000 |`);
    console.log(`| due-time computations per second without the per-day cache | ${due.uncachedPerSecond.toLocaleString('en')} | |`);
    console.log(`| SLA report for one month (${KIND === 'postgres' ? 'PostgreSQL' : 'SQLite'}), ${CONSULTS.toLocaleString('en')} consults / ${(CONSULTS * 4).toLocaleString('en')} messages, median of 7 (fastest ${report.fastestMs} ms) | ${report.medianMs} ms | < 300 ms |`);
    console.log(`| consults in the reported month | ${report.monthReceived} | |\n`);
    console.log(JSON.stringify({ benchmark: 'sla', database: KIND, dueTimesPerSecond: due.perSecond, uncachedDueTimesPerSecond: due.uncachedPerSecond, reportMedianMs: report.medianMs, reportFastestMs: report.fastestMs, consults: CONSULTS, messages: CONSULTS * 4, seedSeconds: report.seedSeconds, node: process.version }));
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
    for (const d of fs.readdirSync(path.join(ROOT, 'node_modules')).filter((n) => n.startsWith('.kkd-bench-calendar-'))) fs.rmSync(path.join(ROOT, 'node_modules', d), { recursive: true, force: true });
  }
}

main().catch((err) => { console.error(err); process.exit(1); });
