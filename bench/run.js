#!/usr/bin/env node
// npm run bench: measures the built server from outside, as operators run it.
// Intake: 1,000 Japanese mails (2–10 KB) in a realistic mix (ISO-2022-JP, Shift_JIS, HTML,
// 100 KB attachments, replies, auto-replies) over SMTP with 4 concurrent connections against one
// server on SQLite (or on a fresh PostgreSQL database with BENCH_DATABASE=postgres); messages/s,
// p50/p95 time to 250, server peak RSS, server CPU per message.
const fs = require('fs');
const os = require('os');
const path = require('path');
const {
  benchDatabase, benchDatabaseKind, cliRunner, cpuSeconds, freePort, intakeMail, intakeMembersCsv, peakRssMb, percentile, pgReachable, printSkipped, smtpWorker, startServer, stopServer,
} = require('./support');

const TOTAL = Number(process.env.BENCH_MESSAGES ?? 1000);
const CONNECTIONS = 4;

async function main() {
  const kind = benchDatabaseKind();
  const name = `intake-smtp-${kind}`;
  if (kind === 'postgres' && !(await pgReachable())) return printSkipped(name);
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'kkd-bench-'));
  const db = await benchDatabase(kind, dataDir, 'intake');
  const [httpPort, smtpPort] = [await freePort(), await freePort()];
  const env = { ...process.env, DATA_DIR: dataDir, DATABASE_URL: db.url, HTTP_PORT: String(httpPort), SMTP_PORT: String(smtpPort), LOG_LEVEL: 'warn', ADMIN_EMAIL: 'admin@helpdesk.test', ADMIN_PASSWORD: 'bench-admin-password' };
  const cli = cliRunner(env);
  let server = null;
  try {
    fs.writeFileSync(path.join(dataDir, 'members.csv'), intakeMembersCsv());
    cli('members:import', path.join(dataDir, 'members.csv'));
    server = await startServer(env);

    const run = Date.now();
    const mails = Array.from({ length: TOTAL }, (_, i) => intakeMail(i, run));
    const expectedConsults = mails.filter((m) => m.opens).length;
    const jobs = mails[Symbol.iterator]();
    const timings = [];
    let peak = 0;
    const sampler = setInterval(() => { peak = Math.max(peak, peakRssMb(server.pid)); }, 200);
    const cpuBefore = cpuSeconds(server.pid);
    const started = Date.now();
    await Promise.all(Array.from({ length: CONNECTIONS }, () => smtpWorker(smtpPort, jobs, timings)));
    const seconds = (Date.now() - started) / 1000;
    peak = Math.max(peak, peakRssMb(server.pid));
    const serverCpuMsPerMessage = ((cpuSeconds(server.pid) - cpuBefore) * 1000) / TOTAL;
    clearInterval(sampler);

    const token = cli('tokens:create', '--email', 'admin@helpdesk.test');
    const stored = (await (await fetch(`http://127.0.0.1:${httpPort}/api/tickets`, { headers: { authorization: `Bearer ${token}` } })).json()).total;

    const label = kind === 'sqlite' ? 'SQLite' : 'PostgreSQL';
    const result = {
      benchmark: name, database: kind, messages: TOTAL, connections: CONNECTIONS, consultsStored: stored, consultsExpected: expectedConsults,
      messagesPerSecond: Math.round((TOTAL / seconds) * 10) / 10, p50Ms: percentile(timings, 50), p95Ms: percentile(timings, 95),
      peakRssMb: Math.round(peak), serverCpuMsPerMessage: Math.round(serverCpuMsPerMessage * 100) / 100, node: process.version,
    };
    console.log('\n| figure | value | target |\n| --- | --- | --- |');
    console.log(`| intake messages/s (${CONNECTIONS} connections, ${label}) | ${result.messagesPerSecond} | ≥ 200 |`);
    console.log(`| time to 250, p50 | ${result.p50Ms} ms | |`);
    console.log(`| time to 250, p95 | ${result.p95Ms} ms | < 100 ms |`);
    console.log(`| server peak RSS | ${result.peakRssMb} MB | < 250 MB |`);
    console.log(`| server CPU per message (all threads) | ${result.serverCpuMsPerMessage} ms | |`);
    console.log(`| consults opened | ${stored} of ${expectedConsults} expected (the rest are replies and auto-replies) | all |\n`);
    console.log(JSON.stringify(result));
    if (stored !== expectedConsults) process.exitCode = 1;
  } finally {
    await stopServer(server);
    await db.drop();
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
}

main().catch((err) => { console.error(err); process.exit(1); });
