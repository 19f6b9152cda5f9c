#!/usr/bin/env node
// npm run bench (mixed part): issue 8's "no error and no loss during the mixed load".
// For BENCH_MIXED_SECONDS (default 300), against two built server processes on one fresh
// PostgreSQL database (one server on SQLite with BENCH_DATABASE=sqlite), schedulers on, outbound
// mail through an SMTP relay run here:
//   - intake: the mail mix of run.js over SMTP, BENCH_MIXED_RATE mails/s (default 20) spread over
//     2 connections per instance;
//   - BENCH_MIXED_EXPERTS experts (default 8), each signed in once through the console and then
//     using its session cookie on every instance in turn: a queue view, a consult, and every third
//     time a reply posted through the console form with the page's CSRF token, about one action a
//     second each.
// Reports per-operation p50/p95 and error counts; at the end (after the outbox has drained, or
// BENCH_MIXED_DRAIN_SECONDS, default 180) checks that every mail that got 250 is stored exactly once,
// every reply that got 303 is stored once and was delivered to the relay exactly once or is still
// queued (backlog, reported apart), and no outbound mail reached the relay twice.
const fs = require('fs');
const os = require('os');
const path = require('path');
const {
  benchDatabase, benchDatabaseKind, cliRunner, consoleLogin, intakeMail, lossCheck, peakRssMb, percentile, pgReachable, printSkipped,
  setUpWithMembers, smtpWorker, startInstances, startRelay, stopServer, storedCounts,
} = require('./support');

const SECONDS = Number(process.env.BENCH_MIXED_SECONDS ?? 300);
const RATE = Number(process.env.BENCH_MIXED_RATE ?? 20);
const EXPERTS = Number(process.env.BENCH_MIXED_EXPERTS ?? 8);
/** How long the outbox may take to drain after the load before what is still queued is counted as backlog. */
const DRAIN_SECONDS = Number(process.env.BENCH_MIXED_DRAIN_SECONDS ?? 180);
const SMTP_PER_INSTANCE = 2;
const VIEWS = ['/consults?view=all', '/consults?view=unassigned', '/consults?view=mine', '/consults?view=at_risk', '/consults?view=all&order=due'];

/** An SMTP relay that counts what it is given, by Message-ID. */
/** A timed HTTP request; non-2xx/3xx answers and network errors are recorded as the operation's errors. */
async function timed(stats, op, url, init = {}) {
  const s = (stats[op] ??= { times: [], errors: 0, examples: [] });
  const began = process.hrtime.bigint();
  try {
    const res = await fetch(url, { redirect: 'manual', ...init });
    const body = await res.text();
    s.times.push(Number(process.hrtime.bigint() - began) / 1e6);
    if (res.status >= 400) throw new Error(`${res.status} ${body.slice(0, 120).replace(/\s+/g, ' ')}`);
    return { status: res.status, body, location: res.headers.get('location') };
  } catch (err) {
    s.errors += 1;
    if (s.examples.length < 5) s.examples.push(`${url.replace(/^http:\/\/[^/]+/, '')}: ${err.message}`);
    return null;
  }
}

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/** One expert: signed in on one instance, then browsing and replying on every instance in turn with the same cookie. */
async function expert(k, instances, stats, replies, until, run) {
  const email = `mixed${k}@bench.test`;
  const { cookie } = await consoleLogin(instances[k % instances.length].base, email, `Mixed-Expert-${k}-Password`);
  const headers = { cookie };
  for (let step = 0; !until(); step++) {
    const base = instances[(k + step) % instances.length].base;
    const queue = await timed(stats, 'queue page', `${base}${VIEWS[(k + step) % VIEWS.length]}`, { headers });
    const numbers = [...(queue?.body ?? '').matchAll(/href="\/consults\/(\d+)"/g)].map((m) => m[1]);
    if (numbers.length) {
      const number = numbers[(k * 7 + step) % numbers.length];
      const page = await timed(stats, 'consult page', `${base}/consults/${number}`, { headers });
      const csrf = page && /name="_csrf" value="([^"]+)"/.exec(page.body)?.[1];
      if (csrf && step % 3 === 2) {
        const marker = `mixed-${run}-${k}-${step}`;
        const body = `ご相談ありがとうございます。確認のうえ折り返しご連絡します。（${marker}）`;
        const res = await timed(stats, 'reply (console form)', `${base}/consults/${number}/reply`, {
          method: 'POST', headers: { ...headers, 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams({ _csrf: csrf, body }).toString(),
        });
        if (res?.status === 303) replies.push(marker);
        else if (res) { stats['reply (console form)'].errors += 1; stats['reply (console form)'].examples.push(`${number}: answered ${res.status}`); }
      }
    }
    await sleep(500 + ((k * 131 + step * 71) % 1000));
  }
}

async function main() {
  const kind = benchDatabaseKind();
  const name = `mixed-${kind}`;
  if (kind === 'postgres' && !(await pgReachable())) return printSkipped(name);
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'kkd-bench-mixed-'));
  const db = await benchDatabase(kind, dataDir, 'mixed');
  const relay = await startRelay();
  const count = kind === 'postgres' ? 2 : 1;
  let instances = [];
  try {
    const setupEnv = setUpWithMembers(dataDir, db.url);
    for (let k = 0; k < EXPERTS; k++) {
      cliRunner(setupEnv, `Mixed-Expert-${k}-Password\n`)('users:create', '--email', `mixed${k}@bench.test`, '--name', `専門家${k}`, '--role', 'expert', '--skills', 'ransomware,malware,general', '--password-stdin');
    }
    instances = await startInstances(count, { dataDir, databaseUrl: db.url, extraEnv: { SMTP_RELAY_URL: `smtp://127.0.0.1:${relay.port}`, TOTP_REQUIRED_ROLES: 'none', OUTBOX_INTERVAL_MS: '1000' } });

    const run = Date.now();
    const stats = {};
    const replies = [];
    const accepted = [];
    const intakeErrors = [];
    const intakeTimes = [];
    const began = Date.now();
    const until = () => Date.now() - began >= SECONDS * 1000;
    let sent = 0;
    const mails = { next: () => ({ done: false, value: intakeMail(sent++, run) }) };
    // Paced: the n-th mail of the whole run leaves at began + n / RATE seconds.
    let slot = 0;
    const pace = async () => { const at = began + (slot++ * 1000) / RATE; if (at > Date.now()) await sleep(at - Date.now()); };
    const peaks = instances.map(() => 0);
    const sampler = setInterval(() => instances.forEach((s, k) => { peaks[k] = Math.max(peaks[k], peakRssMb(s.proc.pid)); }), 1000);
    const progress = setInterval(() => console.log(`mixed load: ${Math.round((Date.now() - began) / 1000)} s, ${accepted.length} mails, ${replies.length} replies, ${Object.values(stats).reduce((n, s) => n + s.errors, 0) + intakeErrors.length} errors`), 30_000);
    await Promise.all([
      ...instances.flatMap((s) => Array.from({ length: SMTP_PER_INSTANCE }, () => smtpWorker(s.smtpPort, mails, intakeTimes, { accepted, errors: intakeErrors, until, pace }))),
      ...Array.from({ length: EXPERTS }, (_, k) => expert(k, instances, stats, replies, until, run)),
    ]);
    clearInterval(progress);
    const loadSeconds = (Date.now() - began) / 1000;

    // The outbox drains (acknowledgements and replies), then what was stored and sent is counted.
    const queued = async () => Number((await db.query("SELECT COUNT(*) AS n FROM outbound_mails WHERE status = 'queued'"))[0].n);
    const drainBegan = Date.now();
    while (Date.now() - drainBegan < DRAIN_SECONDS * 1000 && (await queued()) > 0) await sleep(1000);
    const drainSeconds = Math.round((Date.now() - drainBegan) / 1000);
    clearInterval(sampler);
    const stillQueued = await queued();
    const { missing, duplicated } = lossCheck(accepted, await storedCounts(db));
    const outbound = await db.query("SELECT m.text AS text, o.status AS status, o.message_id_header AS mid FROM messages m LEFT JOIN outbound_mails o ON o.message_row_id = m.id WHERE m.direction = 'outbound'");
    const byMarker = new Map();
    for (const row of outbound) {
      const marker = /（(mixed-\d+-\d+-\d+)）/.exec(row.text)?.[1];
      if (marker) byMarker.set(marker, [...(byMarker.get(marker) ?? []), row]);
    }
    const repliesNotStoredOnce = replies.filter((m) => (byMarker.get(m) ?? []).length !== 1).length;
    const onlyRow = (m) => { const rows = byMarker.get(m) ?? []; return rows.length === 1 ? rows[0] : null; };
    // Still queued: a backlog, not a loss (delivered once already when its batch was under way as
    // the drain ended); anything else not delivered exactly once is a fault.
    const repliesQueued = replies.filter((m) => onlyRow(m)?.status === 'queued').length;
    const repliesNotDeliveredOnce = replies.filter((m) => { const row = onlyRow(m); return !row || (row.status === 'queued' ? (relay.received.get(row.mid) ?? 0) > 1 : row.status !== 'sent' || relay.received.get(row.mid) !== 1); }).length;
    const { sent: outboundSent, deliveredTwice, sentNotDelivered } = await relay.delivery(db);

    stats['intake (SMTP 250)'] = { times: intakeTimes, errors: intakeErrors.length, examples: intakeErrors.slice(0, 5) };
    const ops = Object.fromEntries(Object.entries(stats).map(([op, s]) => [op, { n: s.times.length, p50: percentile(s.times, 50), p95: percentile(s.times, 95), errors: s.errors, examples: s.examples }]));
    const errors = Object.values(ops).reduce((n, o) => n + o.errors, 0);
    const label = kind === 'postgres' ? `${count} instances on one PostgreSQL` : 'one instance on SQLite';
    const achievedRate = Math.round((accepted.length / loadSeconds) * 10) / 10;
    console.log(`\n| mixed load, ${label}, ${Math.round(loadSeconds)} s, ${RATE} mails/s offered (${achievedRate} taken), ${EXPERTS} experts | n | p50 | p95 | errors |\n| --- | --- | --- | --- | --- |`);
    for (const [op, o] of Object.entries(ops)) console.log(`| ${op} | ${o.n} | ${o.p50} ms | ${o.p95} ms | ${o.errors} |`);
    console.log(`| mails accepted (250) / missing / stored twice | ${accepted.length} / ${missing} / ${duplicated} | | | |`);
    console.log(`| replies accepted (303) / not stored once / not delivered exactly once / still queued | ${replies.length} / ${repliesNotStoredOnce} / ${repliesNotDeliveredOnce} / ${repliesQueued} | | | |`);
    console.log(`| outbound mail sent ${outboundSent} (${Math.round((outboundSent / (loadSeconds + drainSeconds)) * 10) / 10}/s), delivered twice ${deliveredTwice}, sent but not at the relay ${sentNotDelivered}, still queued ${stillQueued} after ${drainSeconds} s of drain | | | | |`);
    console.log(`| peak RSS per process | ${peaks.map((m) => `${Math.round(m)} MB`).join(', ')} | | | |\n`);
    for (const [op, o] of Object.entries(ops)) for (const e of o.examples) console.log(`error (${op}): ${e}`);
    for (const o of Object.values(ops)) delete o.examples;
    const result = {
      benchmark: name, database: kind, instances: count, seconds: Math.round(loadSeconds), offeredRate: RATE, achievedRate, experts: EXPERTS, ops, errors,
      accepted: accepted.length, missing, duplicated, replies: replies.length, repliesNotStoredOnce, repliesNotDeliveredOnce, repliesQueued,
      outboundSent, outboundPerSecond: Math.round((outboundSent / (loadSeconds + drainSeconds)) * 10) / 10, deliveredTwice, sentNotDelivered, stillQueued, drainSeconds, peakRssMb: peaks.map(Math.round), node: process.version,
    };
    console.log(JSON.stringify(result));
    if (errors || missing || duplicated || repliesNotStoredOnce || repliesNotDeliveredOnce || deliveredTwice || sentNotDelivered) process.exitCode = 1;
  } finally {
    for (const s of instances) await stopServer(s.proc);
    await relay.close();
    await db.drop();
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
}

main().catch((err) => { console.error(err); process.exit(1); });
