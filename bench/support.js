// Helpers the benchmarks share: ports, the built server, SQLite seeding, the database a bench runs
// on (SQLite, or a fresh PostgreSQL database with BENCH_DATABASE=postgres), the intake mail mix.
const { spawn, execFileSync } = require('child_process');
const crypto = require('crypto');
const fs = require('fs');
const net = require('net');
const path = require('path');
const { SMTPServer } = require('smtp-server');

const ROOT = path.resolve(__dirname, '..');
const SERVER = path.join(ROOT, 'dist/apps/server/main.js');
const CLI = path.join(ROOT, 'dist/apps/cli/main.js');

/** A loopback port nobody listens on now. */
const freePort = () => new Promise((resolve) => { const s = net.createServer().listen(0, '127.0.0.1', () => { const { port } = s.address(); s.close(() => resolve(port)); }); });

/** Waits until the built server answers /healthz (20 s at most). */
async function waitForServer(httpPort) {
  for (let i = 0; ; i++) {
    try { if ((await fetch(`http://127.0.0.1:${httpPort}/healthz`)).ok) return; } catch { /* not up yet */ }
    if (i > 200) throw new Error('server did not start');
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** Starts the built server with `env` and waits for it; BENCH_NODE_ARGS passes flags to node (e.g. --cpu-prof). */
async function startServer(env) {
  const nodeArgs = (process.env.BENCH_NODE_ARGS ?? '').split(' ').filter(Boolean);
  const proc = spawn(process.execPath, [...nodeArgs, SERVER], { env, stdio: ['ignore', 'inherit', 'inherit'] });
  await waitForServer(Number(env.HTTP_PORT));
  return proc;
}

/** SIGTERM, then waits for the exit (graceful shutdown). */
async function stopServer(proc) {
  if (!proc || proc.exitCode !== null) return;
  const exited = new Promise((r) => proc.once('exit', r));
  proc.kill('SIGTERM');
  await exited;
}

/** The command line with `env`; stdin gets `input` (e.g. a password for --password-stdin). */
const cliRunner = (env, input = 'bench-manager-password\n') => (...args) => execFileSync(process.execPath, [CLI, ...args], { env, input }).toString().trim();

/** sqlite3's callback API as promises: a statement on the database, a prepared statement's run. */
const run = (db, sql, params = []) => new Promise((resolve, reject) => db.run(sql, params, (err) => (err ? reject(err) : resolve())));
const exec = (stmt, params) => new Promise((resolve, reject) => stmt.run(params, (err) => (err ? reject(err) : resolve())));

/** A members CSV of `count` members whose addresses are m<i>@bench.example.jp. */
const benchMembersCsv = (count) => ['club_id,nickname,email,company,contract_start', ...Array.from({ length: count }, (_, i) => `CST-${String(i).padStart(5, '0')},会員${i},m${i}@bench.example.jp,会社${i},2026-01-01`)].join('\n');

const percentile = (xs, p) => { if (!xs.length) return null; const s = [...xs].sort((a, b) => a - b); return Math.round(s[Math.min(s.length - 1, Math.max(0, Math.ceil((p / 100) * s.length) - 1))] * 10) / 10; };

/** User + system CPU seconds the process has used so far. */
function cpuSeconds(pid) {
  const fields = fs.readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
  return (Number(fields[11]) + Number(fields[12])) / 100; // utime, stime in clock ticks (100/s)
}
/** The process's peak resident set (VmHWM) in MB. */
const peakRssMb = (pid) => Number(/VmHWM:\s+(\d+) kB/.exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'))[1]) / 1024;

/**
 * The command-line environment of a bench's data (an admin from the environment) with the intake
 * members imported, which also applies the migrations.
 */
function setUpWithMembers(dataDir, databaseUrl) {
  const env = { ...process.env, DATA_DIR: dataDir, DATABASE_URL: databaseUrl, ADMIN_EMAIL: 'admin@helpdesk.test', ADMIN_PASSWORD: 'bench-admin-password' };
  fs.writeFileSync(path.join(dataDir, 'members.csv'), intakeMembersCsv());
  cliRunner(env)('members:import', path.join(dataDir, 'members.csv'));
  return env;
}

/**
 * An SMTP relay on loopback counting each Message-ID it receives (a mail sent twice shows as 2), with
 * arrival times. `delivery(db)` compares it with the mail the database says was sent: how many were
 * sent, delivered twice, or marked sent but never arrived.
 */
async function startRelay() {
  const received = new Map();
  const stamps = [];
  const server = new SMTPServer({
    authOptional: true, disabledCommands: ['STARTTLS', 'AUTH'], logger: false,
    onData(stream, _session, callback) {
      const chunks = [];
      stream.on('data', (c) => chunks.push(c));
      stream.on('end', () => {
        const head = Buffer.concat(chunks).toString('latin1').split(/\r?\n\r?\n/)[0];
        const id = /^Message-ID:\s*(<[^>]+>)/im.exec(head)?.[1] ?? '(none)';
        received.set(id, (received.get(id) ?? 0) + 1);
        stamps.push(Date.now());
        callback();
      });
    },
  });
  const port = await freePort();
  await new Promise((resolve) => server.listen(port, '127.0.0.1', resolve));
  const delivery = async (db) => {
    const sent = await db.query("SELECT message_id_header AS mid FROM outbound_mails WHERE status = 'sent'");
    return {
      sent: sent.length,
      deliveredTwice: [...received.values()].filter((n) => n > 1).length,
      sentNotDelivered: sent.filter((r) => !received.get(r.mid)).length,
    };
  };
  return { port, received, stamps, delivery, close: () => new Promise((resolve) => server.close(resolve)) };
}

// ---------------------------------------------------------------------------------------------
// The database a bench runs on.

/** The PostgreSQL server the benches create their databases on (its maintenance database). */
const PG_URL = process.env.BENCH_PG_URL ?? 'postgres://postgres:postgres@127.0.0.1:5432/postgres';
/** `sqlite` (default) or `postgres`: BENCH_DATABASE, which `npm run bench` sets for the PostgreSQL pass. */
const benchDatabaseKind = () => (process.env.BENCH_DATABASE === 'postgres' ? 'postgres' : 'sqlite');

async function pgClient(url) {
  const { Client } = require('pg');
  const client = new Client({ connectionString: url, connectionTimeoutMillis: 3000 });
  await client.connect();
  return client;
}

/** True when the PostgreSQL server answers. */
async function pgReachable() {
  try {
    const client = await pgClient(PG_URL);
    await client.end();
    return true;
  } catch {
    return false;
  }
}

/**
 * The database of one bench run: a SQLite file under `dataDir`, or a fresh PostgreSQL database
 * (bench_<name>_<random>) dropped by `drop()`. `query(sql, params)` runs one statement on it (a
 * connection of its own; parameters as $1 on PostgreSQL, ? on SQLite).
 */
async function benchDatabase(kind, dataDir, name) {
  if (kind === 'sqlite') {
    const file = path.join(dataDir, `${name}.sqlite`);
    return {
      kind, url: `sqlite:${file}`, file, drop: async () => {},
      query: (sql, params = []) => {
        const sqlite3 = require('sqlite3');
        const db = new sqlite3.Database(file);
        return new Promise((resolve, reject) => db.all(sql, params, (err, rows) => db.close(() => (err ? reject(err) : resolve(rows)))));
      },
    };
  }
  const database = `bench_${name.replace(/\W/g, '_')}_${crypto.randomBytes(4).toString('hex')}`;
  const admin = await pgClient(PG_URL);
  try { await admin.query(`CREATE DATABASE ${database}`); } finally { await admin.end(); }
  const u = new URL(PG_URL);
  u.pathname = `/${database}`;
  const url = u.toString();
  let client = null;
  return {
    kind, url, database,
    async query(sql, params) {
      client ??= await pgClient(url);
      return (await client.query(sql, params)).rows;
    },
    async drop() {
      if (client) await client.end().catch(() => {});
      if (process.env.BENCH_KEEP_DATABASE) return console.log(`kept database ${database} (BENCH_KEEP_DATABASE)`); // to look at query plans by hand
      const a = await pgClient(PG_URL);
      try { await a.query(`DROP DATABASE IF EXISTS ${database} WITH (FORCE)`); } finally { await a.end(); }
    },
  };
}

/** What a PostgreSQL bench prints when there is no server to run on: all.js shows "skipped (no PostgreSQL)". */
function printSkipped(benchmark) {
  console.log(`PostgreSQL is not reachable at ${PG_URL.replace(/\/\/[^@]*@/, '//')}: ${benchmark} skipped`);
  console.log(JSON.stringify({ benchmark, database: 'postgres', skipped: 'no PostgreSQL' }));
}

// ---------------------------------------------------------------------------------------------
// The console over HTTP.

const cookiesOf = (res) => res.headers.getSetCookie().map((c) => c.split(';')[0]).filter((c) => !c.endsWith('='));

/** Signs in through the login form; returns the session's Cookie header and the CSRF token of `page`. */
async function consoleLogin(base, email, password, page = '/consults') {
  const form = await fetch(`${base}/login`);
  const csrf = /name="_csrf" value="([^"]+)"/.exec(await form.text())[1];
  const res = await fetch(`${base}/login`, {
    method: 'POST', redirect: 'manual', body: new URLSearchParams({ _csrf: csrf, email, password }).toString(),
    headers: { cookie: cookiesOf(form).join('; '), 'content-type': 'application/x-www-form-urlencoded' },
  });
  if (res.status !== 303) throw new Error(`login answered ${res.status}`);
  const cookie = cookiesOf(res).join('; ');
  const html = await (await fetch(`${base}${page}`, { headers: { cookie } })).text();
  return { cookie, csrf: /name="_csrf" value="([^"]+)"/.exec(html)?.[1] };
}

// ---------------------------------------------------------------------------------------------
// The intake mail mix (issue 1's figures, reused by scale.js and mixed.js).

const INTAKE_ADDRESS = 'kakekomi@helpdesk.test';
/** Members who write the mix: member<i>@bench.example.jp. */
const INTAKE_MEMBERS = 50;
const intakeMembersCsv = () => ['club_id,nickname,email,company,contract_start', ...Array.from({ length: INTAKE_MEMBERS }, (_, i) => `CST-${String(i).padStart(5, '0')},会員${i},member${i}@bench.example.jp,ベンチ${i}株式会社,2026-04-01`)].join('\n');

const b64 = (buf) => buf.toString('base64').replace(/.{76}/g, '$&\r\n');
const PHRASES = ['社内のファイルサーバーで不審な暗号化が発生しています。', '取引先を装ったメールの添付ファイルを開いてしまいました。', '外部機関から当社IPアドレスからの不審な通信について通報がありました。', 'VPN機器のログに海外からの大量のログイン試行が記録されています。', 'Webサイトのトップページが改ざんされている可能性があります。'];

const Encoding = require('encoding-japanese');
const iconv = require('iconv-lite');
const jis = (text) => Buffer.from(Encoding.convert(Encoding.stringToCode(text), { to: 'JIS', from: 'UNICODE' }));
const word = (bytes, charset) => `=?${charset}?B?${bytes.toString('base64')}?=`;

/**
 * The i-th mail of a realistic mix (2–10 KB of Japanese): 30% ISO-2022-JP, 20% Shift_JIS, 20% HTML
 * with a text part, 10% with a 100 KB attachment, 10% replies to mail i - 100, 5% auto-replies,
 * 5% UTF-8. `run` makes the Message-IDs unique per run. Returns the sender, the raw mail, its
 * Message-ID and whether it should open a consult (replies and auto-replies do not).
 */
function intakeMail(i, run) {
  const member = i % INTAKE_MEMBERS;
  const from = `member${member}@bench.example.jp`;
  let body = '';
  const target = 2048 + ((i * 7919) % 8192);
  while (Buffer.byteLength(body) < target) body += `${PHRASES[(i + body.length) % PHRASES.length]}\r\n`;
  const messageId = (n) => `<bench-${run}-${n}@bench.example.jp>`;
  const subjectText = `【相談】インシデント対応のご相談 ${i}`;
  const head = (subject, extra = []) => [`From: member${member} <${from}>`, `To: ${INTAKE_ADDRESS}`, `Subject: ${subject}`, `Message-ID: ${messageId(i)}`, `Date: ${new Date().toUTCString()}`, 'MIME-Version: 1.0', ...extra];
  const mail = (lines, opens = true) => ({ from, opens, messageId: messageId(i), raw: Buffer.concat(lines.map((l) => (Buffer.isBuffer(l) ? l : Buffer.from(l, 'latin1'))).flatMap((l) => [l, Buffer.from('\r\n')])) });
  const utf8Text = ['Content-Type: text/plain; charset=UTF-8', 'Content-Transfer-Encoding: base64', '', b64(Buffer.from(body))].join('\r\n');
  const kind = i % 20;
  if (kind < 6) return mail([...head(word(jis(subjectText), 'ISO-2022-JP'), ['Content-Type: text/plain; charset=ISO-2022-JP', 'Content-Transfer-Encoding: 7bit']), '', jis(body.replace(/\r\n/g, '\n')).toString('latin1').replace(/\n/g, '\r\n')]);
  if (kind < 10) return mail([...head(word(iconv.encode(subjectText, 'cp932'), 'Shift_JIS'), ['Content-Type: text/plain; charset=Shift_JIS', 'Content-Transfer-Encoding: base64']), '', b64(iconv.encode(body, 'cp932'))]);
  if (kind < 14) {
    const boundary = `alt-${i}`;
    const html = `<html><body><p>${body.replace(/\r\n/g, '<br>')}</p><img src="https://tracker.example/p.gif"></body></html>`;
    return mail([...head(word(Buffer.from(subjectText), 'UTF-8'), [`Content-Type: multipart/alternative; boundary="${boundary}"`]), '', `--${boundary}`, utf8Text,
      `--${boundary}`, 'Content-Type: text/html; charset=UTF-8', 'Content-Transfer-Encoding: base64', '', b64(Buffer.from(html)), `--${boundary}--`, '']);
  }
  if (kind < 16) {
    const boundary = `mixed-${i}`;
    const attachment = ['Content-Type: application/octet-stream; name="log.bin"', 'Content-Disposition: attachment; filename="log.bin"', 'Content-Transfer-Encoding: base64', '', b64(Buffer.alloc(100 * 1024, i % 251))].join('\r\n');
    return mail([...head(word(Buffer.from(subjectText), 'UTF-8'), [`Content-Type: multipart/mixed; boundary="${boundary}"`]), '', `--${boundary}`, utf8Text, `--${boundary}`, attachment, `--${boundary}--`, '']);
  }
  // A reply to mail i - 100: the same member (100 is a multiple of INTAKE_MEMBERS) and long since stored.
  if (kind < 18 && i >= 100) return mail([...head(word(Buffer.from(`Re: ${subjectText}`), 'UTF-8'), [`In-Reply-To: ${messageId(i - 100)}`, 'Content-Type: text/plain; charset=UTF-8', 'Content-Transfer-Encoding: base64']), '', b64(Buffer.from(body))], false);
  if (kind === 18) return mail([...head(word(Buffer.from('【不在】自動応答: 12月1日まで不在にしております'), 'UTF-8'), ['Auto-Submitted: auto-replied', 'Content-Type: text/plain; charset=UTF-8']), '', '不在にしております。'], false);
  return mail([...head(word(Buffer.from(subjectText), 'UTF-8'), ['Content-Type: text/plain; charset=UTF-8', 'Content-Transfer-Encoding: base64']), '', b64(Buffer.from(body))]);
}

/**
 * One SMTP connection sending mails from the `jobs` iterator until it is done (or `until()` says
 * stop), awaiting `pace()` before each; pushes each time to 250 in ms to `timings` and each accepted mail to `accepted`. A refusal
 * or a broken connection is counted in `errors` (and the connection made again) when given,
 * thrown otherwise.
 */
async function smtpWorker(port, jobs, timings, { accepted = null, errors = null, until = () => false, pace = null } = {}) {
  const SMTPConnection = require('nodemailer/lib/smtp-connection');
  const connect = async () => {
    const conn = new SMTPConnection({ host: '127.0.0.1', port, ignoreTLS: true, socketTimeout: 60000 });
    await new Promise((res, rej) => { conn.once('error', rej); conn.connect(res); });
    return conn;
  };
  let conn = await connect();
  for (let job = jobs.next(); !job.done && !until(); job = jobs.next()) {
    const mail = job.value;
    if (pace) await pace();
    const started = process.hrtime.bigint();
    try {
      await new Promise((res, rej) => conn.send({ from: mail.from, to: [INTAKE_ADDRESS] }, mail.raw, (err, info) => (err ? rej(err) : /^250/.test(info.response) ? res() : rej(new Error(info.response)))));
      timings.push(Number(process.hrtime.bigint() - started) / 1e6);
      accepted?.push(mail);
      await new Promise((res) => conn.reset(res));
    } catch (err) {
      if (!errors) throw err;
      errors.push(`smtp: ${err.message}`);
      conn.close();
      conn = await connect();
    }
  }
  conn.quit();
}

// ---------------------------------------------------------------------------------------------
// Several instances, and what they stored (PostgreSQL: db.query).

/** How many times each Message-ID is stored: inbound messages and held mail (auto-replies) together. */
async function storedCounts(db) {
  const rows = await db.query(`SELECT message_id_header AS id, COUNT(*) AS n FROM (
      SELECT message_id_header FROM messages WHERE direction = 'inbound' UNION ALL SELECT message_id_header FROM held_mails) m GROUP BY message_id_header`);
  return new Map(rows.map((r) => [r.id, Number(r.n)]));
}

/** Every accepted mail stored exactly once: the Message-IDs missing and those stored twice or more. */
function lossCheck(accepted, counts) {
  const missing = accepted.filter((m) => !counts.get(m.messageId)).length;
  const duplicated = accepted.filter((m) => counts.get(m.messageId) > 1).length;
  return { missing, duplicated };
}

/** Starts `count` server processes on one database and one DATA_DIR, one after the other; returns them with their ports. */
async function startInstances(count, { dataDir, databaseUrl, extraEnv = {} }) {
  const instances = [];
  for (let k = 0; k < count; k++) {
    const [httpPort, smtpPort] = [await freePort(), await freePort()];
    const env = { ...process.env, DATA_DIR: dataDir, DATABASE_URL: databaseUrl, HTTP_PORT: String(httpPort), SMTP_PORT: String(smtpPort), LOG_LEVEL: 'warn', ADMIN_EMAIL: 'admin@helpdesk.test', ADMIN_PASSWORD: 'bench-admin-password', ...extraEnv };
    instances.push({ httpPort, smtpPort, env, base: `http://127.0.0.1:${httpPort}`, proc: await startServer(env) });
  }
  return instances;
}

/** A small deterministic PRNG (mulberry32): every run of a bench writes the same data. */
function prng(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

module.exports = {
  prng,
  ROOT, SERVER, CLI, freePort, waitForServer, startServer, stopServer, cliRunner, run, exec, benchMembersCsv, percentile, cpuSeconds, peakRssMb,
  PG_URL, benchDatabaseKind, pgReachable, benchDatabase, printSkipped, consoleLogin,
  setUpWithMembers, startRelay, INTAKE_ADDRESS, INTAKE_MEMBERS, intakeMembersCsv, intakeMail, smtpWorker, startInstances, storedCounts, lossCheck,
};
