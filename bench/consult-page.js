#!/usr/bin/env node
// npm run bench (consult page): the consult page and the ticket API an expert reads, with the
// member's identity masked in every message (PRODUCT.md, privacy), on the built server over SQLite.
// One consult holds 200 messages: 100 member mails (realistic Japanese incident text, a corporate
// signature framed by rules with 〒, TEL/FAX/携帯, 内線 and a full-width ＠, and the quoted history
// of the previous reply) and 100 expert replies quoting the member. Around it: 200 members with full
// art. 12 details, 3,000 finished consults of the same categories (for the similar-consult list) and
// 20 earlier consults of the same member (the member history).
// Timed from the client over loopback (an upper bound of the server time), after a warm-up:
//   GET /consults/:n as an expert (masked), and as a manager (unmasked, for comparison);
//   GET /api/tickets/:n as an expert (masked) and as a manager.
// Also timed: the expert's page right after the member's details changed (the masker is rebuilt and
// every message masked again, nothing memoised), and the first request after start.
const fs = require('fs');
const os = require('os');
const path = require('path');
const sqlite3 = require('sqlite3');
const { cliRunner, consoleLogin, exec, freePort, percentile, prng, run, startServer, stopServer } = require('./support');

const MEMBERS = 200;
const MESSAGES = 200;
const OTHER_CONSULTS = Number(process.env.BENCH_CONSULT_OTHERS ?? 3_000);
const HISTORY = 20;
const REQUESTS = Number(process.env.BENCH_CONSULT_REQUESTS ?? 50);
const WARMUP = 5;
const REMASKED = 15; // requests after a change of the member's details (nothing memoised)
const MEMBER = 17; // the member of the consult measured

const COMPANIES = ['ひまわり精機', 'さくら物産', 'あおば運輸', '北斗電子', '東雲食品', '若葉製薬', '大和精工', '瀬戸内海運', '富士見建設', 'みなと銀行'];
const DEPTS = ['情報システム部', '総務部 情報セキュリティ課', '管理本部 IT推進室', 'DX推進室', '経営企画部 システムグループ'];
const SURNAMES = ['山田', '佐藤', '鈴木', '高橋', '田中', '伊藤', '渡辺', '中村', '小林', '加藤'];
const GIVEN = ['太郎', '花子', '一郎', '美咲', '健太', '由美', '大輔', '直子'];
const company = (i) => `${COMPANIES[i % COMPANIES.length]}${i >= COMPANIES.length ? `第${Math.floor(i / COMPANIES.length) + 1}` : ''}`;
const person = (i) => `${SURNAMES[i % SURNAMES.length]} ${GIVEN[(i * 3) % GIVEN.length]}`;
const domain = (i) => `member${i}-corp.example.co.jp`;
const email = (i) => `it-security${i}@${domain(i)}`;
const phone = (i) => `03-${String(3000 + i).padStart(4, '0')}-${String(1000 + i * 7).slice(-4)}`;
const postal = (i) => `1${String(i % 100).padStart(2, '0')}-${String(1000 + i).slice(-4)}`;
const address = (i) => `東京都千代田区丸の内${1 + (i % 3)}-${1 + (i % 9)}-${1 + i}`;

function membersCsv() {
  const rows = ['club_id,nickname,email,company,department,contact_name,phone,postal_code,address,contract_start'];
  for (let i = 0; i < MEMBERS; i++) {
    rows.push([`CST-${String(i).padStart(5, '0')}`, `会員${i}`, email(i), `${company(i)}株式会社`, DEPTS[i % DEPTS.length].replace(' ', '　'), person(i), phone(i), postal(i), address(i), '2026-01-01'].join(','));
  }
  return rows.join('\n');
}

const toWide = (s) => s.replace(/[0-9@-]/g, (c) => String.fromCharCode(c === '-' ? 0xff0d : c.charCodeAt(0) + 0xfee0));

/** A corporate signature as members write them: rules, company, department, name, 〒 address, TEL/FAX/携帯, mail. */
function signature(i, k) {
  const rule = ['----------------------------------------', '＝＝＝＝＝＝＝＝＝＝＝＝＝＝＝＝＝＝＝＝', '━━━━━━━━━━━━━━━━━━━━'][k % 3];
  return ['', rule, `株式会社${company(i)}`, DEPTS[i % DEPTS.length], `主任 ${person(i)}`,
    `〒${postal(i)} ${address(i)} ${company(i)}ビル 5F`, `TEL：${k % 2 ? toWide(phone(i)) : phone(i)}（内線 ${2000 + i}）／FAX：03-${String(3000 + i).padStart(4, '0')}-9999`,
    `携帯：090-${String(4000 + i).padStart(4, '0')}-${String(5000 + k).slice(-4)}`, `Mail：${k % 2 ? email(i).replace('@', '＠') : email(i)}`,
    `URL：https://www.${domain(i)}/`, '※本メールは機密情報を含む場合があります。誤って受信された場合は破棄してください。', rule].join('\n');
}

const WHEN = ['本日 9:12 頃', '昨晩 23:40 頃', '今朝 7:05 頃', '先ほど 14:30 頃', '本日午前 10:15 頃'];
const DEVICES = ['ファイルサーバー', '業務PC', 'VPN装置（FortiGate）', 'Webサーバー', 'ドメインコントローラー', 'NAS'];
const FINDINGS = [
  (r, n) => `${r.pick(DEVICES)}（社内 192.168.${n % 255}.${10 + (n % 200)}）から 203.0.113.${n % 250} への通信を検知しました。`,
  (r) => `プロキシログに hxxp://update-check.malicious-cdn.example.net/gate.php へのアクセスが ${3 + Math.floor(r() * 40)} 件あります。`,
  (r) => `EDR が Emotet の亜種（invoice_${Math.floor(r() * 9000 + 1000)}.docm）を検知しました。`,
  (r) => `拡張子が .lockbit に変わり、各フォルダに README_RESTORE.txt が置かれています。`,
  (r) => `取引先の${r.pick(COMPANIES.slice(5))}株式会社を装ったメール（送信元 billing@secure-pay.example.org）が届いています。`,
  (r) => `弊社サイト https://www.${domain(MEMBER)}/news/2026/ のトップが改ざんされている可能性があります。`,
  () => 'イベントID 4625 のログオン失敗が 3389/tcp で多数記録されています。',
  () => '端末はネットワークから切り離し、電源は入れたままにしています。',
];
const ASKS = ['優先して確認すべきことを教えてください。', 'ログの保全方法についてご助言ください。', '警察への相談は必要でしょうか。', '取引先への連絡はどの段階で行うべきでしょうか。'];
const ANSWERS = [
  '感染が疑われる端末はネットワークから切り離したまま、メモリ上の痕跡を残すため電源は切らないでください。',
  'ファイアウォールとプロキシのログを、上書きされる前に外部媒体へ保全してください。',
  '通信先の 203.0.113.0/24 はファイアウォールで遮断し、同じ宛先への通信がほかの端末にもないか確認してください。',
  'EmoCheck の最新版で感染の有無を確認できます。検知された場合は結果のテキストファイルをお送りください。',
  '被害届の受理番号はサイバー保険の請求でも必要になります。最寄りの警察署のサイバー犯罪相談窓口にご相談ください。',
];
const EXPERT_SIGNATURE = ['', '━━━━━━━━━━━━━━━━━━━━', 'CSIRT駆け込み寺 事務局', 'TEL: 03-9999-0000 / E-mail: kakekomi@helpdesk.test', '━━━━━━━━━━━━━━━━━━━━'].join('\n');

/** The thread: member mails (fresh text, signature, the quoted previous reply) and expert replies quoting them. */
function thread(rand) {
  const messages = [];
  let lastReply = '';
  for (let k = 0; k < MESSAGES / 2; k++) {
    const name = SURNAMES[MEMBER % SURNAMES.length];
    const fresh = ['駆け込み寺 ご担当者様', '', k === 0 ? `いつもお世話になっております。${company(MEMBER)}の${name}です。` : `${name}です。ご回答ありがとうございます。`, '',
      `${rand.pick(WHEN)}、${FINDINGS[k % FINDINGS.length](rand, k)}`, FINDINGS[(k + 3) % FINDINGS.length](rand, k + 1), rand.pick(ASKS), '', 'よろしくお願いいたします。'].join('\n');
    const quoted = lastReply ? `\n\n2026/11/${String(1 + (k % 28)).padStart(2, '0')} 10:${String(k % 60).padStart(2, '0')} CSIRT駆け込み寺 <kakekomi@helpdesk.test>:\n${lastReply.split('\n').map((l) => `> ${l}`).join('\n')}` : '';
    const text = `${fresh}\n${signature(MEMBER, k)}${quoted}`;
    messages.push({ direction: 'inbound', text });
    const reply = [`${company(MEMBER)}株式会社`, `${person(MEMBER)} 様`, '', 'ご連絡ありがとうございます。', rand.pick(ANSWERS), rand.pick(ANSWERS), '', 'ご不明な点があれば、このメールにご返信ください。', EXPERT_SIGNATURE,
      '', `${person(MEMBER)} 様 wrote:`, ...fresh.split('\n').map((l) => `> ${l}`)].join('\n');
    lastReply = reply.split('\n').slice(0, 9).join('\n');
    messages.push({ direction: 'outbound', text: reply });
  }
  return messages;
}

const all = (db, sql, params = []) => new Promise((resolve, reject) => db.all(sql, params, (err, rows) => (err ? reject(err) : resolve(rows))));

async function seed(file) {
  const rand = prng(11);
  rand.pick = (list) => list[Math.floor(rand() * list.length)];
  const db = new sqlite3.Database(file);
  await run(db, 'PRAGMA journal_mode = WAL');
  await run(db, 'BEGIN');
  const now = Date.parse('2026-11-25T12:00:00+09:00');
  const expert = (await all(db, "SELECT id FROM staff_users WHERE role = 'expert' ORDER BY id"))[0].id;
  const members = (await all(db, 'SELECT id FROM members ORDER BY id')).map((r) => r.id);
  const consult = db.prepare('INSERT INTO consults (number, member_id, subject, status, category, priority, assignee_id, reply_address, received_at, first_due_at, due_at, first_response_at, last_message_at, created_at, updated_at, sla_state) VALUES (?, ?, ?, ?, ?, \'high\', ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)');
  const message = db.prepare('INSERT INTO messages (consult_id, direction, author_id, from_address, message_id_header, subject, text, occurred_at, created_at, due_at, answered_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)');
  let number = 0;
  const addConsult = async (member, subject, status, category, received, msgs) => {
    number += 1;
    const open = status === 'open';
    const last = received + msgs.length * 600_000;
    await exec(consult, [number, members[member], subject, status, category, expert, email(member), received, received + 86_400_000, open ? received + 86_400_000 : null, received + 3_600_000, last, received, last, open ? 'on_track' : 'met']);
    const [{ id }] = await all(db, 'SELECT id FROM consults WHERE number = ?', [number]);
    for (const [k, m] of msgs.entries()) {
      const at = received + k * 600_000;
      const inbound = m.direction === 'inbound';
      await exec(message, [id, m.direction, inbound ? null : expert, inbound ? email(member) : null, `<c${number}-${k}@bench>`, `${k ? 'Re: ' : ''}[KKD#${number}] ${subject}`, m.text, at, at, inbound ? at + 86_400_000 : null, inbound && k < msgs.length - 1 ? at + 600_000 : null]);
    }
    return number;
  };
  // Finished consults of other members (the similar-consult candidates), then this member's history.
  for (let c = 0; c < OTHER_CONSULTS; c++) {
    const m = (c * 7) % MEMBERS;
    const text = `${FINDINGS[c % FINDINGS.length](rand, c)}\n${ASKS[c % ASKS.length]}\n${signature(m, c)}`;
    await addConsult(m, `${['ランサムウェア', '不審な通信', 'Emotet', '改ざん'][c % 4]}について（${c}）`, c % 3 ? 'closed' : 'resolved', ['ransomware', 'malware'][c % 2],
      now - (400 - (c % 300)) * 86_400_000, [{ direction: 'inbound', text }, { direction: 'outbound', text: ANSWERS[c % ANSWERS.length] }]);
  }
  for (let c = 0; c < HISTORY; c++) {
    await addConsult(MEMBER, `過去の相談 ${c}（${company(MEMBER)}）`, 'closed', 'malware', now - (200 - c) * 86_400_000,
      [{ direction: 'inbound', text: `${FINDINGS[c % FINDINGS.length](rand, c)}\n${signature(MEMBER, c)}` }]);
  }
  const measured = await addConsult(MEMBER, `不審な通信とランサムウェアの疑い（${company(MEMBER)} ${SURNAMES[MEMBER % SURNAMES.length]}）`, 'open', 'malware', now - 3 * 86_400_000, thread(rand));
  for (const stmt of [consult, message]) await new Promise((r) => stmt.finalize(r));
  await run(db, "UPDATE counters SET value = ? WHERE name = 'consult_number'", [number]);
  await run(db, 'COMMIT');
  await run(db, 'PRAGMA optimize');
  const [{ chars }] = await all(db, 'SELECT SUM(LENGTH(text)) AS chars FROM messages WHERE consult_id = (SELECT id FROM consults WHERE number = ?)', [measured]);
  await new Promise((r) => db.close(r));
  return { number: measured, chars };
}

async function timed(url, headers) {
  const began = process.hrtime.bigint();
  const res = await fetch(url, { headers });
  const body = await res.text();
  const ms = Number(process.hrtime.bigint() - began) / 1e6;
  if (res.status !== 200) throw new Error(`${url} answered ${res.status}: ${body.slice(0, 300)}`);
  return { ms, body };
}

/**
 * Each of the `targets` (url + headers) requested REQUESTS times after a warm-up, in turns (a, b,
 * c, a, b, c …) so that a busy machine slows them alike. Median and p95 in ms, and the last body.
 */
async function series(targets) {
  for (let i = 0; i < WARMUP; i++) for (const t of targets) await timed(t.url, t.headers);
  const times = targets.map(() => []);
  const bodies = [];
  for (let i = 0; i < REQUESTS; i++) {
    for (const [k, t] of targets.entries()) {
      const { ms, body } = await timed(t.url, t.headers);
      times[k].push(ms);
      bodies[k] = body;
    }
  }
  return targets.map((_t, k) => ({ median: percentile(times[k], 50), p95: percentile(times[k], 95), body: bodies[k] }));
}

async function main() {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'kkd-bench-consult-'));
  const file = path.join(dataDir, 'consult.sqlite');
  const [httpPort, smtpPort] = [await freePort(), await freePort()];
  const env = { ...process.env, DATA_DIR: dataDir, DATABASE_URL: `sqlite:${file}`, HTTP_PORT: String(httpPort), SMTP_PORT: String(smtpPort), LOG_LEVEL: 'warn', RUN_SCHEDULER: 'false', ADMIN_EMAIL: 'admin@helpdesk.test', ADMIN_PASSWORD: 'bench-admin-password', TOTP_REQUIRED_ROLES: 'none' };
  const cli = cliRunner(env);
  let proc = null;
  try {
    fs.writeFileSync(path.join(dataDir, 'members.csv'), membersCsv());
    cli('members:import', path.join(dataDir, 'members.csv')); // applies the migrations
    cli('users:create', '--email', 'expert@bench.test', '--name', '専門家', '--role', 'expert', '--skills', 'malware,ransomware', '--password-stdin');
    cli('users:create', '--email', 'manager@bench.test', '--name', '管理者', '--role', 'manager', '--password-stdin');
    const seeded = await seed(file);
    const expertToken = cli('tokens:create', '--email', 'expert@bench.test');
    const managerToken = cli('tokens:create', '--email', 'manager@bench.test');

    proc = await startServer(env);
    const base = `http://127.0.0.1:${httpPort}`;
    const expert = await consoleLogin(base, 'expert@bench.test', 'bench-manager-password');
    const manager = await consoleLogin(base, 'manager@bench.test', 'bench-manager-password');
    const page = `${base}/consults/${seeded.number}`;
    const api = `${base}/api/tickets/${seeded.number}`;

    const cold = await timed(page, { cookie: expert.cookie });
    const [pageExpert, pageManager, apiExpert, apiManager] = await series([
      { url: page, headers: { cookie: expert.cookie } }, { url: page, headers: { cookie: manager.cookie } },
      { url: api, headers: { authorization: `Bearer ${expertToken}` } }, { url: api, headers: { authorization: `Bearer ${managerToken}` } },
    ]);
    const results = { pageExpert, pageManager, apiExpert, apiManager };
    // The masker rebuilt and every text masked again: the member's details change before each request.
    const db = new sqlite3.Database(file);
    const remasked = [];
    for (let i = 0; i < REMASKED; i++) {
      await run(db, 'UPDATE members SET department = ? WHERE club_id = ?', [`${DEPTS[MEMBER % DEPTS.length]} 第${i + 1}係`, `CST-${String(MEMBER).padStart(5, '0')}`]);
      remasked.push((await timed(page, { cookie: expert.cookie })).ms);
    }
    await new Promise((r) => db.close(r));
    results.pageExpertRemasked = { median: percentile(remasked, 50), p95: percentile(remasked, 95) };
    // The masked answers must not carry the member's identity (a bench that measured a leak would mislead).
    const identity = [company(MEMBER), person(MEMBER), person(MEMBER).replace(' ', ''), email(MEMBER), domain(MEMBER), phone(MEMBER), postal(MEMBER), address(MEMBER)];
    const leaks = identity.filter((v) => results.pageExpert.body.includes(v) || results.apiExpert.body.includes(v) || cold.body.includes(v));
    if (leaks.length) throw new Error(`the expert's answers contain ${leaks.join(', ')}`);
    if (!results.pageManager.body.includes(company(MEMBER))) throw new Error('the manager\'s page lost the member\'s text');

    const row = (label, r, target) => `| ${label} | ${r.p95} ms | ${r.median} ms | ${target} |`;
    console.log(`\n| figure (1 consult, ${MESSAGES} messages, ${(seeded.chars / 1000).toFixed(0)} K characters; ${OTHER_CONSULTS.toLocaleString('en')} other consults; SQLite; ${REQUESTS} requests, from the client over loopback) | p95 | median | target |\n| --- | --- | --- | --- |`);
    console.log(row('GET /consults/:n as an expert (every message masked)', results.pageExpert, '< 100 ms'));
    console.log(row('GET /consults/:n as a manager (unmasked)', results.pageManager, ''));
    console.log(row('GET /api/tickets/:n as an expert (masked)', results.apiExpert, '< 100 ms'));
    console.log(row('GET /api/tickets/:n as a manager (unmasked)', results.apiManager, ''));
    console.log(row(`GET /consults/:n as an expert right after the member's details changed (masker rebuilt, all ${MESSAGES} messages masked again; ${REMASKED} requests)`, results.pageExpertRemasked, '< 100 ms'));
    console.log(`| GET /consults/:n as an expert, first request after start (code paths not yet compiled, nothing memoised) | ${Math.round(cold.ms * 10) / 10} ms | | |\n`);
    console.log(JSON.stringify({
      benchmark: 'consult-page', messages: MESSAGES, characters: seeded.chars, otherConsults: OTHER_CONSULTS, requests: REQUESTS,
      pageExpertMedianMs: results.pageExpert.median, pageExpertP95Ms: results.pageExpert.p95, pageManagerMedianMs: results.pageManager.median, pageManagerP95Ms: results.pageManager.p95,
      apiExpertMedianMs: results.apiExpert.median, apiExpertP95Ms: results.apiExpert.p95, apiManagerMedianMs: results.apiManager.median, apiManagerP95Ms: results.apiManager.p95,
      pageExpertRemaskedMedianMs: results.pageExpertRemasked.median, pageExpertRemaskedP95Ms: results.pageExpertRemasked.p95, pageExpertColdMs: Math.round(cold.ms * 10) / 10, node: process.version,
    }));
  } finally {
    await stopServer(proc);
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
}

main().catch((err) => { console.error(err); process.exit(1); });
