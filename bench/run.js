#!/usr/bin/env node
// npm run bench: measures the built server from outside, as operators run it.
// Intake: 1,000 Japanese consults (2–10 KB, every 10th with a 100 KB attachment) over SMTP with
// 4 concurrent connections against SQLite; messages/s, p50/p95 time to 250, server peak RSS.
const { spawn, execFileSync } = require('child_process');
const fs = require('fs');
const os = require('os');
const path = require('path');
const net = require('net');
const SMTPConnection = require('nodemailer/lib/smtp-connection');

const ROOT = path.resolve(__dirname, '..');
const TOTAL = Number(process.env.BENCH_MESSAGES ?? 1000);
const CONNECTIONS = 4;
const MEMBERS = 50;

const freePort = () => new Promise((resolve) => { const s = net.createServer().listen(0, '127.0.0.1', () => { const { port } = s.address(); s.close(() => resolve(port)); }); });
const percentile = (sorted, p) => sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
const b64 = (buf) => buf.toString('base64').replace(/.{76}/g, '$&\r\n');
const PHRASES = ['社内のファイルサーバーで不審な暗号化が発生しています。', '取引先を装ったメールの添付ファイルを開いてしまいました。', '外部機関から当社IPアドレスからの不審な通信について通報がありました。', 'VPN機器のログに海外からの大量のログイン試行が記録されています。', 'Webサイトのトップページが改ざんされている可能性があります。'];

function consultMail(i) {
  const from = `member${i % MEMBERS}@bench.example.jp`;
  let body = '';
  const target = 2048 + ((i * 7919) % 8192);
  while (Buffer.byteLength(body) < target) body += `${PHRASES[(i + body.length) % PHRASES.length]}\r\n`;
  const subject = `=?UTF-8?B?${Buffer.from(`【相談】インシデント対応のご相談 ${i}`).toString('base64')}?=`;
  const head = [`From: member${i % MEMBERS} <${from}>`, 'To: kakekomi@helpdesk.test', `Subject: ${subject}`, `Message-ID: <bench-${i}-${Date.now()}@bench.example.jp>`, `Date: ${new Date().toUTCString()}`, 'MIME-Version: 1.0'];
  const text = ['Content-Type: text/plain; charset=UTF-8', 'Content-Transfer-Encoding: base64', '', b64(Buffer.from(body))].join('\r\n');
  if (i % 10 !== 0) return { from, raw: Buffer.from([...head, text, ''].join('\r\n')) };
  const boundary = `bench-${i}`;
  const attachment = ['Content-Type: application/octet-stream; name="log.bin"', 'Content-Disposition: attachment; filename="log.bin"', 'Content-Transfer-Encoding: base64', '', b64(Buffer.alloc(100 * 1024, i % 251))].join('\r\n');
  return { from, raw: Buffer.from([...head, `Content-Type: multipart/mixed; boundary="${boundary}"`, '', `--${boundary}`, text, `--${boundary}`, attachment, `--${boundary}--`, ''].join('\r\n')) };
}

async function worker(port, jobs, timings) {
  const conn = new SMTPConnection({ host: '127.0.0.1', port, ignoreTLS: true, socketTimeout: 60000 });
  await new Promise((res, rej) => { conn.once('error', rej); conn.connect(res); });
  for (let job = jobs.next(); !job.done; job = jobs.next()) {
    const { from, raw } = job.value;
    const started = process.hrtime.bigint();
    await new Promise((res, rej) => conn.send({ from, to: ['kakekomi@helpdesk.test'] }, raw, (err, info) => (err ? rej(err) : /^250/.test(info.response) ? res() : rej(new Error(info.response)))));
    timings.push(Number(process.hrtime.bigint() - started) / 1e6);
    await new Promise((res) => conn.reset(res));
  }
  conn.quit();
}

/** User + system CPU seconds the process has used so far. */
function cpuSeconds(pid) {
  const fields = fs.readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
  return (Number(fields[11]) + Number(fields[12])) / 100; // utime, stime in clock ticks (100/s)
}

function peakRssMb(pid) {
  const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
  return Number(/VmHWM:\s+(\d+) kB/.exec(status)[1]) / 1024;
}

async function main() {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'kkd-bench-'));
  const [httpPort, smtpPort] = [await freePort(), await freePort()];
  const env = { ...process.env, DATA_DIR: dataDir, DATABASE_URL: `sqlite:${dataDir}/bench.sqlite`, HTTP_PORT: String(httpPort), SMTP_PORT: String(smtpPort), LOG_LEVEL: 'warn', ADMIN_EMAIL: 'admin@helpdesk.test', ADMIN_PASSWORD: 'bench-admin-password' };
  const csv = ['club_id,nickname,email,company,contract_start', ...Array.from({ length: MEMBERS }, (_, i) => `CST-${String(i).padStart(5, '0')},会員${i},member${i}@bench.example.jp,ベンチ${i}株式会社,2026-04-01`)].join('\n');
  fs.writeFileSync(path.join(dataDir, 'members.csv'), csv);
  execFileSync(process.execPath, [path.join(ROOT, 'dist/apps/cli/main.js'), 'members:import', path.join(dataDir, 'members.csv')], { env, stdio: 'inherit' });

  // BENCH_NODE_ARGS passes flags to the server, e.g. "--cpu-prof --cpu-prof-dir=/tmp/prof" to see where time goes.
  const nodeArgs = (process.env.BENCH_NODE_ARGS ?? '').split(' ').filter(Boolean);
  const server = spawn(process.execPath, [...nodeArgs, path.join(ROOT, 'dist/apps/server/main.js')], { env, stdio: ['ignore', 'inherit', 'inherit'] });
  for (let i = 0; ; i++) {
    try { if ((await fetch(`http://127.0.0.1:${httpPort}/healthz`)).ok) break; } catch { /* not up yet */ }
    if (i > 200) throw new Error('server did not start');
    await new Promise((r) => setTimeout(r, 100));
  }

  const mails = Array.from({ length: TOTAL }, (_, i) => consultMail(i));
  const jobs = mails[Symbol.iterator]();
  const timings = [];
  let peak = 0;
  const sampler = setInterval(() => { peak = Math.max(peak, peakRssMb(server.pid)); }, 200);
  const cpuBefore = cpuSeconds(server.pid);
  const started = Date.now();
  await Promise.all(Array.from({ length: CONNECTIONS }, () => worker(smtpPort, jobs, timings)));
  const seconds = (Date.now() - started) / 1000;
  peak = Math.max(peak, peakRssMb(server.pid));
  const serverCpuMsPerMessage = ((cpuSeconds(server.pid) - cpuBefore) * 1000) / TOTAL;
  clearInterval(sampler);

  const token = execFileSync(process.execPath, [path.join(ROOT, 'dist/apps/cli/main.js'), 'tokens:create', '--email', 'admin@helpdesk.test'], { env }).toString().trim();
  const stored = (await (await fetch(`http://127.0.0.1:${httpPort}/api/tickets`, { headers: { authorization: `Bearer ${token}` } })).json()).total;
  server.kill('SIGTERM');
  await new Promise((r) => server.once('exit', r));
  fs.rmSync(dataDir, { recursive: true, force: true });

  const sorted = [...timings].sort((a, b) => a - b);
  const result = {
    benchmark: 'intake-smtp-sqlite', messages: TOTAL, connections: CONNECTIONS, consultsStored: stored,
    messagesPerSecond: Math.round((TOTAL / seconds) * 10) / 10,
    p50Ms: Math.round(percentile(sorted, 50) * 10) / 10, p95Ms: Math.round(percentile(sorted, 95) * 10) / 10,
    peakRssMb: Math.round(peak), serverCpuMsPerMessage: Math.round(serverCpuMsPerMessage * 100) / 100, node: process.version,
  };
  console.log('\n| figure | value | target |\n| --- | --- | --- |');
  console.log(`| intake messages/s (${CONNECTIONS} connections, SQLite) | ${result.messagesPerSecond} | ≥ 200 |`);
  console.log(`| time to 250, p50 | ${result.p50Ms} ms | |`);
  console.log(`| time to 250, p95 | ${result.p95Ms} ms | < 100 ms |`);
  console.log(`| server peak RSS | ${result.peakRssMb} MB | < 250 MB |`);
  console.log(`| server CPU per message (all threads) | ${result.serverCpuMsPerMessage} ms | |`);
  console.log(`| consults stored | ${stored} of ${TOTAL} | all |\n`);
  console.log(JSON.stringify(result));
  if (stored !== TOTAL) process.exitCode = 1;
}

main().catch((err) => { console.error(err); process.exit(1); });
