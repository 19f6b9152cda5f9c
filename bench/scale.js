#!/usr/bin/env node
// npm run bench (scale part): issue 8's "PostgreSQL, two instances: intake ≥ 300 messages/s".
// Two built server processes on one fresh PostgreSQL database and one shared DATA_DIR, each with
// its own HTTP and SMTP port and its scheduler on (as deployed); the intake mix of run.js over
// 4 SMTP connections per instance. Reports messages/s combined, p50/p95 time to 250, peak RSS and
// CPU per process, how many of the database's sessions wait on a lock and in which statement (what
// serialises intake across instances), and checks that nothing was lost: every mail that got 250
// is stored exactly once (counted by Message-ID over the inbound messages and the held mail).
// BENCH_SCALE_MESSAGES (default 2,000), BENCH_SCALE_INSTANCES (default 2).
const fs = require('fs');
const os = require('os');
const path = require('path');
const {
  benchDatabase, cliRunner, cpuSeconds, intakeMail, intakeMembersCsv, lossCheck, peakRssMb, percentile, pgReachable, printSkipped, smtpWorker, startInstances, stopServer, storedCounts,
} = require('./support');

const TOTAL = Number(process.env.BENCH_SCALE_MESSAGES ?? 2000);
const INSTANCES = Number(process.env.BENCH_SCALE_INSTANCES ?? 2);
const CONNECTIONS_PER_INSTANCE = 4;

async function main() {
  if (!(await pgReachable())) return printSkipped('intake-scale-postgres');
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'kkd-bench-scale-'));
  const db = await benchDatabase('postgres', dataDir, 'scale');
  let instances = [];
  try {
    const setupEnv = { ...process.env, DATA_DIR: dataDir, DATABASE_URL: db.url, ADMIN_EMAIL: 'admin@helpdesk.test', ADMIN_PASSWORD: 'bench-admin-password' };
    fs.writeFileSync(path.join(dataDir, 'members.csv'), intakeMembersCsv());
    cliRunner(setupEnv)('members:import', path.join(dataDir, 'members.csv')); // applies the migrations
    instances = await startInstances(INSTANCES, { dataDir, databaseUrl: db.url });

    const run = Date.now();
    const mails = Array.from({ length: TOTAL }, (_, i) => intakeMail(i, run));
    const jobs = mails[Symbol.iterator]();
    const timings = [];
    const accepted = [];
    const peaks = instances.map(() => 0);
    const sampler = setInterval(() => instances.forEach((s, k) => { peaks[k] = Math.max(peaks[k], peakRssMb(s.proc.pid)); }), 200);
    const cpuBefore = instances.map((s) => cpuSeconds(s.proc.pid));
    const lockWaits = lockWaitSampler(db);
    const started = Date.now();
    // One shared queue of mails: replies (i - 100) come long after their consult, whichever instance took it.
    await Promise.all(instances.flatMap((s) => Array.from({ length: CONNECTIONS_PER_INSTANCE }, () => smtpWorker(s.smtpPort, jobs, timings, { accepted }))));
    const seconds = (Date.now() - started) / 1000;
    clearInterval(sampler);
    const waits = await lockWaits.stop();
    const cpu = instances.map((s, k) => cpuSeconds(s.proc.pid) - cpuBefore[k]);
    instances.forEach((s, k) => { peaks[k] = Math.max(peaks[k], peakRssMb(s.proc.pid)); });

    const { missing, duplicated } = lossCheck(accepted, await storedCounts(db));
    const consults = Number((await db.query('SELECT COUNT(*) AS n FROM consults'))[0].n);
    const expectedConsults = accepted.filter((m) => m.opens).length;
    const result = {
      benchmark: 'intake-scale-postgres', database: 'postgres', instances: INSTANCES, connections: INSTANCES * CONNECTIONS_PER_INSTANCE, messages: TOTAL, accepted: accepted.length,
      messagesPerSecond: Math.round((TOTAL / seconds) * 10) / 10, p50Ms: percentile(timings, 50), p95Ms: percentile(timings, 95),
      busySessions: waits.busy, lockWaitingSessions: waits.waiting, lockWaitsIn: waits.statements,
      peakRssMb: peaks.map(Math.round), serverCpuMsPerMessage: Math.round((cpu.reduce((a, b) => a + b, 0) * 1000 / TOTAL) * 100) / 100,
      missing, duplicated, consults, consultsExpected: expectedConsults, cpus: os.cpus().length, node: process.version,
    };
    console.log(`\n| figure (${INSTANCES} instances on one PostgreSQL, ${CONNECTIONS_PER_INSTANCE} SMTP connections each, ${TOTAL.toLocaleString('en')} mails, ${os.cpus().length} CPUs) | value | target |\n| --- | --- | --- |`);
    console.log(`| intake messages/s, combined | ${result.messagesPerSecond} | ≥ 300 |`);
    console.log(`| time to 250, p50 | ${result.p50Ms} ms | |`);
    console.log(`| time to 250, p95 | ${result.p95Ms} ms | < 100 ms |`);
    console.log(`| database sessions busy / waiting on a lock, mean | ${waits.busy} / ${waits.waiting}${waits.statements.length ? ` (${waits.statements.map((w) => `${w.share}% in ${w.statement}`).join('; ')})` : ''} | |`);
    console.log(`| peak RSS per process | ${result.peakRssMb.map((m) => `${m} MB`).join(', ')} | < 250 MB |`);
    console.log(`| server CPU per message (all processes) | ${result.serverCpuMsPerMessage} ms | |`);
    console.log(`| mails accepted (250) / missing / stored twice | ${accepted.length} / ${missing} / ${duplicated} | all / 0 / 0 |`);
    console.log(`| consults opened | ${consults} of ${expectedConsults} expected | all |\n`);
    console.log(JSON.stringify(result));
    if (missing || duplicated || accepted.length !== TOTAL || consults !== expectedConsults) process.exitCode = 1;
  } finally {
    for (const s of instances) await stopServer(s.proc);
    await db.drop();
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
}

/**
 * Samples the bench database's sessions every 50 ms during the run: how many are busy (running or
 * inside a transaction) and how many wait on a lock, with the statements that wait most (share of
 * the lock waits). `stop()` ends it and returns the means.
 */
function lockWaitSampler(db) {
  let samples = 0;
  let busy = 0;
  let waiting = 0;
  const byStatement = new Map();
  let stopped = false;
  const loop = (async () => {
    while (!stopped) {
      const rows = await db.query(`SELECT wait_event_type, left(regexp_replace(query, '\\s+', ' ', 'g'), 60) AS statement FROM pg_stat_activity
        WHERE datname = current_database() AND pid <> pg_backend_pid() AND state IN ('active', 'idle in transaction')`);
      samples++;
      busy += rows.length;
      for (const r of rows.filter((x) => x.wait_event_type === 'Lock')) {
        waiting++;
        byStatement.set(r.statement, (byStatement.get(r.statement) ?? 0) + 1);
      }
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  })();
  const mean = (n) => Math.round((n / Math.max(samples, 1)) * 10) / 10;
  return {
    async stop() {
      stopped = true;
      await loop;
      const statements = [...byStatement].sort((a, b) => b[1] - a[1]).slice(0, 2)
        .map(([statement, n]) => ({ statement, share: Math.round((n / waiting) * 100) }));
      return { busy: mean(busy), waiting: mean(waiting), statements };
    },
  };
}

main().catch((err) => { console.error(err); process.exit(1); });
