#!/usr/bin/env node
// Outbound throughput alone (issue 8): BENCH_OUTBOX_MAILS (default 3000) mails are queued in the
// outbox of built, stopped-in-the-meantime servers, then the servers (two on PostgreSQL with
// BENCH_DATABASE=postgres, one on SQLite) start and drain the queue into an SMTP relay run here.
// Reports sent/s from the first to the last mail at the relay, and checks each mail arrived once
// and every row is marked sent. mixed.js's figure is bounded by how fast mail comes in; this one
// is not.
const fs = require('fs');
const os = require('os');
const path = require('path');
const { benchDatabase, benchDatabaseKind, pgReachable, printSkipped, setUpWithMembers, startInstances, startRelay, stopServer } = require('./support');

const MAILS = Number(process.env.BENCH_OUTBOX_MAILS ?? 3000);
const TIMEOUT_SECONDS = Number(process.env.BENCH_OUTBOX_TIMEOUT_SECONDS ?? 600);
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

async function main() {
  const kind = benchDatabaseKind();
  const name = `outbox-drain-${kind}`;
  if (kind === 'postgres' && !(await pgReachable())) return printSkipped(name);
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'kkd-bench-outbox-'));
  const db = await benchDatabase(kind, dataDir, 'outbox');
  const relay = await startRelay();
  const count = kind === 'postgres' ? 2 : 1;
  let instances = [];
  try {
    const setupEnv = setUpWithMembers(dataDir, db.url);
    const p = (k) => (kind === 'postgres' ? `$${k}` : '?');
    const now = Date.now();
    const body = 'ご相談ありがとうございます。内容を確認のうえ、担当者よりご連絡いたします。\n'.repeat(12);
    for (let i = 0; i < MAILS; i += 200) {
      const n = Math.min(200, MAILS - i);
      const values = Array.from({ length: n }, (_, j) => `(NULL, 'notice', ${p(j * 3 + 1)}, ${p(j * 3 + 2)}, ${p(j * 3 + 3)}, '<bench.${i + j}.${now}@helpdesk.test>', 'queued', 0, ${now}, ${now})`);
      const params = Array.from({ length: n }, (_, j) => [`m${i + j}@member.example.jp`, `受付: [KKD#${i + j}] ご相談`, body]).flat();
      await db.query(`INSERT INTO outbound_mails (consult_id, kind, to_address, subject, body_text, message_id_header, status, attempts, next_attempt_at, created_at) VALUES ${values.join(', ')}`, params);
    }
    const queued = async () => Number((await db.query("SELECT COUNT(*) AS n FROM outbound_mails WHERE status = 'queued'"))[0].n);
    const began = Date.now();
    instances = await startInstances(count, { dataDir, databaseUrl: db.url, extraEnv: { SMTP_RELAY_URL: `smtp://127.0.0.1:${relay.port}`, TOTP_REQUIRED_ROLES: 'none', OUTBOX_INTERVAL_MS: '1000' } });
    while (Date.now() - began < TIMEOUT_SECONDS * 1000 && (await queued()) > 0) await sleep(250);
    const stillQueued = await queued();
    const { sent, deliveredTwice, sentNotDelivered } = await relay.delivery(db);
    const first = Math.min(...relay.stamps);
    const last = Math.max(...relay.stamps);
    const perSecond = relay.stamps.length > 1 ? Math.round(((relay.stamps.length - 1) / ((last - first) / 1000)) * 10) / 10 : 0;
    const label = kind === 'postgres' ? `${count} instances on one PostgreSQL` : 'one instance on SQLite';
    console.log(`\n| outbox drain, ${label}, ${MAILS} mails | sent | sent/s | delivered twice | sent but not at the relay | still queued |\n| --- | --- | --- | --- | --- | --- |`);
    console.log(`| to an SMTP relay on loopback | ${sent} | ${perSecond} | ${deliveredTwice} | ${sentNotDelivered} | ${stillQueued} |\n`);
    console.log(JSON.stringify({ benchmark: name, database: kind, instances: count, mails: MAILS, sent: sent, perSecond, deliveredTwice, sentNotDelivered, stillQueued, node: process.version }));
    if (deliveredTwice || sentNotDelivered || stillQueued || sent !== MAILS) process.exitCode = 1;
  } finally {
    for (const s of instances) await stopServer(s.proc);
    await relay.close();
    await db.drop();
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
}

main().catch((err) => { console.error(err); process.exit(1); });
