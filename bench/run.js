#!/usr/bin/env node
// npm run bench: measures the built server from outside, as operators run it.
// Intake: 1,000 Japanese mails (2–10 KB) in a realistic mix (ISO-2022-JP, Shift_JIS, HTML,
// 100 KB attachments, replies, auto-replies) over SMTP with 4 concurrent connections against
// SQLite; messages/s, p50/p95 time to 250, server peak RSS, server CPU per message.
const { spawn, execFileSync } = require('child_process');
const fs = require('fs');
const os = require('os');
const path = require('path');
const SMTPConnection = require('nodemailer/lib/smtp-connection');
const { freePort, waitForServer } = require('./support');

const ROOT = path.resolve(__dirname, '..');
const TOTAL = Number(process.env.BENCH_MESSAGES ?? 1000);
const CONNECTIONS = 4;
const MEMBERS = 50;

const percentile = (sorted, p) => sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
const b64 = (buf) => buf.toString('base64').replace(/.{76}/g, '$&\r\n');
const PHRASES = ['社内のファイルサーバーで不審な暗号化が発生しています。', '取引先を装ったメールの添付ファイルを開いてしまいました。', '外部機関から当社IPアドレスからの不審な通信について通報がありました。', 'VPN機器のログに海外からの大量のログイン試行が記録されています。', 'Webサイトのトップページが改ざんされている可能性があります。'];

const Encoding = require('encoding-japanese');
const iconv = require('iconv-lite');
const jis = (text) => Buffer.from(Encoding.convert(Encoding.stringToCode(text), { to: 'JIS', from: 'UNICODE' }));
const word = (bytes, charset) => `=?${charset}?B?${bytes.toString('base64')}?=`;

/**
 * The i-th mail of a realistic mix: 30% ISO-2022-JP, 20% Shift_JIS, 20% HTML with a text part,
 * 10% with a 100 KB attachment, 10% replies to an earlier consult, 5% auto-replies, 5% UTF-8.
 * Returns whether it should open a consult (replies and auto-replies do not).
 */
function consultMail(i, run) {
  const member = i % MEMBERS;
  const from = `member${member}@bench.example.jp`;
  let body = '';
  const target = 2048 + ((i * 7919) % 8192);
  while (Buffer.byteLength(body) < target) body += `${PHRASES[(i + body.length) % PHRASES.length]}\r\n`;
  const messageId = (n) => `<bench-${run}-${n}@bench.example.jp>`;
  const subjectText = `【相談】インシデント対応のご相談 ${i}`;
  const head = (subject, extra = []) => [`From: member${member} <${from}>`, 'To: kakekomi@helpdesk.test', `Subject: ${subject}`, `Message-ID: ${messageId(i)}`, `Date: ${new Date().toUTCString()}`, 'MIME-Version: 1.0', ...extra];
  const mail = (lines, opens = true) => ({ from, opens, raw: Buffer.concat(lines.map((l) => (Buffer.isBuffer(l) ? l : Buffer.from(l, 'latin1'))).flatMap((l) => [l, Buffer.from('\r\n')])) });
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
  // A reply to mail i - 100: the same member (100 is a multiple of MEMBERS) and long since stored.
  if (kind < 18 && i >= 100) return mail([...head(word(Buffer.from(`Re: ${subjectText}`), 'UTF-8'), [`In-Reply-To: ${messageId(i - 100)}`, 'Content-Type: text/plain; charset=UTF-8', 'Content-Transfer-Encoding: base64']), '', b64(Buffer.from(body))], false);
  if (kind === 18) return mail([...head(word(Buffer.from('【不在】自動応答: 12月1日まで不在にしております'), 'UTF-8'), ['Auto-Submitted: auto-replied', 'Content-Type: text/plain; charset=UTF-8']), '', '不在にしております。'], false);
  return mail([...head(word(Buffer.from(subjectText), 'UTF-8'), ['Content-Type: text/plain; charset=UTF-8', 'Content-Transfer-Encoding: base64']), '', b64(Buffer.from(body))]);
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
  await waitForServer(httpPort);

  const run = Date.now();
  const mails = Array.from({ length: TOTAL }, (_, i) => consultMail(i, run));
  const expectedConsults = mails.filter((m) => m.opens).length;
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
    benchmark: 'intake-smtp-sqlite', messages: TOTAL, connections: CONNECTIONS, consultsStored: stored, consultsExpected: expectedConsults,
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
  console.log(`| consults opened | ${stored} of ${expectedConsults} expected (the rest are replies and auto-replies) | all |\n`);
  console.log(JSON.stringify(result));
  if (stored !== expectedConsults) process.exitCode = 1;
}

main().catch((err) => { console.error(err); process.exit(1); });
