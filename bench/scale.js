#!/usr/bin/env node
// npm run bench (scale part): issue 8's "PostgreSQL, two instances: intake ≥ 300 messages/s".
// Two built server processes on one fresh PostgreSQL database and one shared DATA_DIR, each with
// its own HTTP and SMTP port and its scheduler on (as deployed); the intake mix of run.js over
// 4 SMTP connections per instance. Reports messages/s combined, p50/p95 time to 250, peak RSS and
// CPU per process, and checks that nothing was lost: every mail that got 250 is stored exactly
// once (counted by Message-ID over the inbound messages and the held mail).
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
    const started = Date.now();
    // One shared queue of mails: replies (i - 100) come long after their consult, whichever instance took it.
    await Promise.all(instances.flatMap((s) => Array.from({ length: CONNECTIONS_PER_INSTANCE }, () => smtpWorker(s.smtpPort, jobs, timings, { accepted }))));
    const seconds = (Date.now() - started) / 1000;
    clearInterval(sampler);
    const cpu = instances.map((s, k) => cpuSeconds(s.proc.pid) - cpuBefore[k]);
    instances.forEach((s, k) => { peaks[k] = Math.max(peaks[k], peakRssMb(s.proc.pid)); });

    const { missing, duplicated } = lossCheck(accepted, await storedCounts(db));
    const consults = Number((await db.query('SELECT COUNT(*) AS n FROM consults'))[0].n);
    const expectedConsults = accepted.filter((m) => m.opens).length;
    const result = {
      benchmark: 'intake-scale-postgres', database: 'postgres', instances: INSTANCES, connections: INSTANCES * CONNECTIONS_PER_INSTANCE, messages: TOTAL, accepted: accepted.length,
      messagesPerSecond: Math.round((TOTAL / seconds) * 10) / 10, p50Ms: percentile(timings, 50), p95Ms: percentile(timings, 95),
      peakRssMb: peaks.map(Math.round), serverCpuMsPerMessage: Math.round((cpu.reduce((a, b) => a + b, 0) * 1000 / TOTAL) * 100) / 100,
      missing, duplicated, consults, consultsExpected: expectedConsults, cpus: os.cpus().length, node: process.version,
    };
    console.log(`\n| figure (${INSTANCES} instances on one PostgreSQL, ${CONNECTIONS_PER_INSTANCE} SMTP connections each, ${TOTAL.toLocaleString('en')} mails, ${os.cpus().length} CPUs) | value | target |\n| --- | --- | --- |`);
    console.log(`| intake messages/s, combined | ${result.messagesPerSecond} | ≥ 300 |`);
    console.log(`| time to 250, p50 | ${result.p50Ms} ms | |`);
    console.log(`| time to 250, p95 | ${result.p95Ms} ms | < 100 ms |`);
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

main().catch((err) => { console.error(err); process.exit(1); });
