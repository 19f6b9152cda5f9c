#!/usr/bin/env node
// npm run bench (consult search part): issue 9's figure on the built server over SQLite.
// 100,000 consults (realistic Japanese mail: a topic's wording, everyday sentences, member
// signatures with company, person, phone and address; replies on most, notes on some) are written
// straight into consults / messages. The server then starts with its scheduler: the search indexer
// backfills consult_search from its watermark (masking each member's identity), which is timed.
// It restarts without the scheduler and GET /api/tickets?q=… is timed from the client over a mix:
// long terms, 2-character terms, full-width/half-width, several terms, consult numbers, no match,
// and a term with the queue's filters. Highlights and snippets are part of every answer.
const fs = require('fs');
const os = require('os');
const path = require('path');
const sqlite3 = require('sqlite3');
const { cliRunner, cpuSeconds, exec, freePort, percentile, prng, run, startServer, stopServer } = require('./support');

const CONSULTS = Number(process.env.BENCH_SEARCH_CONSULTS ?? 100_000);
const MEMBERS = 300;
const ROUNDS = 5; // each round: every query of the mix once
const WARMUP = 15;

// ---------------------------------------------------------------------------------------------
// The corpus: one topic per consult, with its own words; everyday sentences around them.

const TOPICS = [
  { subject: ['ランサムウェア感染の疑い', 'ファイルが暗号化されました', '身代金を要求する画面が出ています', 'サーバーが暗号化され業務停止'],
    ask: ['ファイルサーバーのファイルが暗号化され、拡張子が変わっていました。', '画面にランサムウェアの脅迫文が表示されています。', 'バックアップも暗号化されたようで、復旧のめどが立ちません。', '身代金の支払いを求められていますが、どうすべきでしょうか。', 'VPN装置のファームウェアが古いままでした。'],
    answer: ['感染した端末をネットワークから切り離してください。電源は切らずにおいてください。', '身代金の支払いは推奨しません。復号できる保証はありません。', 'オフラインのバックアップから復旧できるか確認してください。', '侵入経路としてVPN装置の脆弱性が多く報告されています。'] },
  { subject: ['Emotetの感染について', '不審な添付ファイルを開いてしまった', 'マクロ付きファイルの件', '取引先を装ったメール'],
    ask: ['取引先を装ったメールの添付ファイルを開き、マクロを有効にしてしまいました。', 'EmoCheckを実行したところ、Emotetが検知されました。', 'ＥＭＯＴＥＴの注意喚起を見て社内を確認したいです。', 'ｴﾓﾃｯﾄに感染した端末から不審なメールが送られています。'],
    answer: ['EmoCheckの最新版で感染の有無を確認してください。', 'メールアカウントのパスワードを変更し、取引先に注意喚起をしてください。', 'マクロは既定で無効にする設定をお勧めします。'] },
  { subject: ['フィッシングサイトにパスワードを入力', '偽サイトへの誘導について', 'SMSのリンクを開いてしまった'],
    ask: ['社員がフィッシングメールのリンクを開き、IDとパスワードを入力してしまいました。', 'ワンタイムパスワードまで入力してしまったとのことです。', '宅配業者を装ったSMSから偽サイトに誘導されました。'],
    answer: ['パスワードをすぐに変更し、サインインログを確認してください。', 'フィッシング耐性のある多要素認証を検討してください。', 'フィッシング対策協議会に報告できます。'] },
  { subject: ['VPN機器への不正アクセス', '海外からのログイン試行', 'RDPへの総当たり攻撃', '管理画面の不審な設定変更'],
    ask: ['VPNのログに海外から大量のログイン試行が記録されています。', '退職者のアカウントでログインされた形跡があります。', 'ＶＰＮ装置の管理画面に見覚えのない設定変更がありました。', 'RDPのポートをインターネットに公開していました。'],
    answer: ['ファームウェアを最新にし、不要なアカウントを無効化してください。', 'ログは上書きされる前に保全してください。', 'RDPはVPN経由に限定し、多要素認証を設定してください。'] },
  { subject: ['個人情報の誤送信', 'USBメモリの紛失', '委託先からの情報漏えい', '情報漏洩の報告について'],
    ask: ['顧客リストを誤って社外に送信してしまいました。', '業務用のUSBメモリを紛失しました。暗号化はしていません。', '委託先のサーバーから顧客情報が漏えいしたと連絡がありました。'],
    answer: ['個人情報保護委員会への報告と本人への通知が必要か確認してください。', '誤送信先に削除を依頼し、回答を記録してください。', '速報は3〜5日以内、確報は30日以内が目安です。'] },
  { subject: ['Webサイトの改ざん', 'トップページに不審なスクリプト', 'WordPressの脆弱性'],
    ask: ['Webサイトのトップページが改ざんされ、不審なスクリプトが埋め込まれていました。', 'WordPressのプラグインが古いままでした。', '閲覧者が別のサイトに転送されるとの連絡がありました。'],
    answer: ['サイトを一時的に公開停止し、改ざんされたファイルを特定してください。', 'プラグインとテーマを最新にし、管理者パスワードを変更してください。'] },
  { subject: ['外部機関からの通報', '当社IPアドレスからの不審な通信', 'DDoS攻撃を受けています'],
    ask: ['外部機関から当社IPアドレスからの不審な通信について通報がありました。', 'Webサーバーへのアクセスが急増し、サービスが停止しています。', '踏み台にされている可能性があると指摘されました。'],
    answer: ['通報の内容と時刻を控え、該当するログを保全してください。', '回線事業者にDDoS対策の相談をしてください。'] },
];
const WORDS = '業務 端末 確認 調査 設定 管理 運用 監視 権限 通信 接続 更新 削除 保存 送信 社内 担当 部門 対応 報告 連絡 相談 判断 影響 範囲 原因 経路 期間 記録 履歴 証跡 検知 遮断 隔離 停止 再開 防止 対策 手順 規程 教育 周知 承認 申請 契約 委託 外部 利用 導入 構成 環境 機器 回線 拠点 本社 工場 顧客 取引 会員 社員 経理 請求 決済 書類 資料 共有 公開 閲覧 変更 追加 登録 期限 分析 評価 診断 検証 計画 予算 保守 交換 障害 警告 異常 不審 サーバー ネットワーク アカウント ログイン セッション クラウド データベース ライセンス ベンダー ポリシー インシデント アラート ダッシュボード'.split(' ');
const PARTICLES = ['を', 'が', 'の', 'に', 'で', 'と', 'は', 'から', 'について'];
const ENDINGS = ['を確認してください。', 'が必要です。', 'を見直しました。', 'されている可能性があります。', 'を実施する予定です。', 'に注意してください。', 'を依頼しました。', 'で対応しています。'];
const STEMS = ['ひまわり精機', 'さくら物産', 'あおば運輸', '北斗電子', '東雲食品', '若葉製薬', '大和精工', '瀬戸内海運', '富士見建設', 'みなと銀行'];
const SURNAMES = ['山田', '佐藤', '鈴木', '高橋', '田中', '伊藤', '渡辺', '中村'];
const company = (i) => `${STEMS[i % STEMS.length]}${i >= STEMS.length ? `第${Math.floor(i / STEMS.length) + 1}` : ''}株式会社`;
const person = (i) => `${SURNAMES[i % SURNAMES.length]} 太郎`;
const phone = (i) => `03-${String(1000 + i).padStart(4, '0')}-${String(5000 + i).slice(-4)}`;
const memberEmail = (i) => `soc${i}@member${i}.example.jp`;

function membersCsv() {
  const rows = ['club_id,nickname,email,company,department,contact_name,phone,postal_code,address,contract_start'];
  for (let i = 0; i < MEMBERS; i++) {
    rows.push([`CST-${String(i).padStart(5, '0')}`, `会員${i}`, memberEmail(i), company(i), '情報システム部', person(i), phone(i), `100-${String(i).padStart(4, '0')}`, `東京都千代田区丸の内1-${1 + (i % 9)}-${1 + i}`, '2026-01-01'].join(','));
  }
  return rows.join('\n');
}

function corpus(rand) {
  const pick = (list) => list[Math.floor(rand() * list.length)];
  const sentence = () => `${pick(WORDS)}${pick(PARTICLES)}${pick(WORDS)}${pick(PARTICLES)}${pick(WORDS)}${pick(ENDINGS)}`;
  const some = (list, n) => Array.from({ length: n }, () => pick(list));
  return (member) => {
    const topic = TOPICS[Math.floor(rand() * TOPICS.length)];
    const signature = ['', '--', `${company(member)} 情報システム部`, person(member), `TEL: ${phone(member)}`, `E-mail: ${memberEmail(member)}`].join('\n');
    const inbound = [`お世話になっております。${company(member)}の${SURNAMES[member % SURNAMES.length]}です。`, ...some(topic.ask, 2), ...Array.from({ length: 2 + Math.floor(rand() * 3) }, sentence), 'よろしくお願いいたします。', signature].join('\n');
    const reply = ['ご相談ありがとうございます。', ...some(topic.answer, 2), ...Array.from({ length: 1 + Math.floor(rand() * 2) }, sentence), 'CSIRT駆け込み寺 事務局'].join('\n');
    return { subject: pick(topic.subject), inbound, reply: rand() < 0.7 ? reply : null, note: rand() < 0.1 ? `内部メモ: ${sentence()}` : null };
  };
}

const all = (db, sql, params = []) => new Promise((resolve, reject) => db.all(sql, params, (err, rows) => (err ? reject(err) : resolve(rows))));
const STATUSES = ['new', 'open', 'waiting_member', 'resolved', 'closed', 'closed', 'resolved', 'closed'];

async function seed(file) {
  const rand = prng(9);
  const next = corpus(rand);
  const db = new sqlite3.Database(file);
  await run(db, 'PRAGMA journal_mode = WAL');
  await run(db, 'BEGIN');
  const members = (await all(db, 'SELECT id FROM members ORDER BY id')).map((r) => r.id);
  const manager = (await all(db, "SELECT id FROM staff_users WHERE role = 'manager' ORDER BY id"))[0].id;
  const consult = db.prepare("INSERT INTO consults (id, number, member_id, subject, status, category, priority, assignee_id, reply_address, received_at, first_due_at, due_at, first_response_at, last_message_at, created_at, updated_at, sla_state) VALUES (?, ?, ?, ?, ?, 'general', 'normal', ?, ?, ?, ?, NULL, NULL, ?, ?, ?, 'met')");
  const message = db.prepare('INSERT INTO messages (consult_id, direction, author_id, from_address, message_id_header, subject, text, occurred_at, created_at, due_at, answered_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, NULL, NULL)');
  const first = Date.parse('2024-01-01T00:00:00+09:00');
  const step = Math.floor((Date.parse('2026-11-25T00:00:00+09:00') - first) / CONSULTS);
  let messages = 0;
  let chars = 0;
  for (let c = 1; c <= CONSULTS; c++) {
    const member = Math.floor(rand() * MEMBERS);
    const m = next(member);
    const at = first + c * step;
    const status = STATUSES[c % STATUSES.length];
    await exec(consult, [c, c, members[member], m.subject, status, c % 3 === 0 ? manager : null, memberEmail(member), at, at + 259_200_000, at, at, at]);
    await exec(message, [c, 'inbound', null, memberEmail(member), `<b${c}@member${member}.example.jp>`, m.subject, m.inbound, at, at]);
    messages += 1;
    chars += m.subject.length + m.inbound.length;
    if (m.reply) {
      await exec(message, [c, 'outbound', manager, null, `<r${c}@kkd>`, `Re: [KKD#${c}] ${m.subject}`, m.reply, at + 3_600_000, at + 3_600_000]);
      messages += 1;
      chars += m.reply.length;
    }
    if (m.note) {
      await exec(message, [c, 'note', manager, null, null, '', m.note, at + 7_200_000, at + 7_200_000]);
      messages += 1;
      chars += m.note.length;
    }
  }
  for (const stmt of [consult, message]) await new Promise((r) => stmt.finalize(r));
  await run(db, "UPDATE counters SET value = ? WHERE name = 'consult_number'", [CONSULTS]);
  await run(db, 'COMMIT');
  await new Promise((r) => db.close(r));
  return { messages, chars };
}

/** The messages and characters of a database seeded before. */
async function counts(file) {
  const db = new sqlite3.Database(file, sqlite3.OPEN_READONLY);
  const [row] = await all(db, "SELECT COUNT(*) AS messages, SUM(LENGTH(text)) + (SELECT SUM(LENGTH(subject)) FROM consults) AS chars FROM messages");
  await new Promise((r) => db.close(r));
  return { messages: Number(row.messages), chars: Number(row.chars) };
}

/** Polls the database file until the indexer's watermark reaches the last message. */
async function waitForIndex(file, lastMessageId) {
  const db = new sqlite3.Database(file, sqlite3.OPEN_READONLY);
  try {
    for (;;) {
      const rows = await all(db, "SELECT last_id FROM search_watermarks WHERE name = 'consult_messages'").catch(() => []);
      if (Number(rows[0]?.last_id ?? 0) >= lastMessageId) return;
      await new Promise((r) => setTimeout(r, 500));
    }
  } finally {
    await new Promise((r) => db.close(r));
  }
}

// ---------------------------------------------------------------------------------------------
// The query mix ("query|filters" adds the queue's filters).

const QUERIES = {
  'long term': ['ランサムウェア', 'フィッシング', 'ファームウェア', '不正アクセス', 'EmoCheck', 'プラグイン', '個人情報保護委員会'],
  '2-char term': ['暗号', '漏洩', '感染', '改ざん', 'SMS', 'RDP'],
  'full/half-width': ['ＥＭＯＴＥＴ', 'ｴﾓﾃｯﾄ', 'ＶＰＮ装置', 'ﾗﾝｻﾑｳｪｱ'],
  'multi-term': ['ランサムウェア 復旧', 'VPN 不正アクセス', 'Emotet 感染', 'パスワード　変更', '暗号 拡張子'],
  number: ['12345', 'KKD#777', '＃４２', '#99999'],
  'no match': ['量子暗号通信', 'zzqxj', 'ブロックチェーン監査'],
  'with filters': ['ランサムウェア|status=open', '感染|assignee=none', 'VPN装置|status=resolved', '暗号|status=new'],
};

async function main() {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'kkd-bench-search-'));
  const file = path.join(dataDir, 'search.sqlite');
  const [httpPort, smtpPort] = [await freePort(), await freePort()];
  const env = { ...process.env, DATA_DIR: dataDir, DATABASE_URL: `sqlite:${file}`, HTTP_PORT: String(httpPort), SMTP_PORT: String(smtpPort), LOG_LEVEL: 'warn', ADMIN_EMAIL: 'admin@helpdesk.test', ADMIN_PASSWORD: 'bench-admin-password' };
  const cli = cliRunner(env);
  let server = null;
  try {
    if (!process.env.BENCH_SEARCH_REUSE) {
      fs.writeFileSync(path.join(dataDir, 'members.csv'), membersCsv());
      cli('members:import', path.join(dataDir, 'members.csv')); // applies the migrations
      cli('users:create', '--email', 'manager@bench.test', '--name', '管理者', '--role', 'manager', '--password-stdin');
    }
    // BENCH_SEARCH_KEEP=file keeps the seeded, indexed database; BENCH_SEARCH_REUSE=file starts from one (no seeding, no backfill figure).
    const reuse = process.env.BENCH_SEARCH_REUSE;
    if (reuse) fs.copyFileSync(reuse, file);
    const seeded = reuse ? await counts(file) : await seed(file);

    // The backfill, as on the first start after the upgrade: the scheduler's indexer, every 2 s.
    const backfillBegan = Date.now();
    server = await startServer({ ...env, RUN_SCHEDULER: 'true' });
    await waitForIndex(file, seeded.messages);
    const backfillSeconds = reuse ? null : (Date.now() - backfillBegan) / 1000;
    await stopServer(server);
    if (process.env.BENCH_SEARCH_KEEP) fs.copyFileSync(file, process.env.BENCH_SEARCH_KEEP);
    // Searching as an expert, who works the queue (a manager's answer also audits every member shown).
    cli('users:create', '--email', 'expert@bench.test', '--name', '専門家', '--role', 'expert', '--password-stdin');
    const token = cli('tokens:create', '--email', 'expert@bench.test');

    server = await startServer({ ...env, RUN_SCHEDULER: 'false' });
    const base = `http://127.0.0.1:${httpPort}`;
    const headers = { authorization: `Bearer ${token}` };
    const mix = [];
    const longest = Math.max(...Object.values(QUERIES).map((q) => q.length));
    for (let i = 0; i < longest; i++) for (const [kind, list] of Object.entries(QUERIES)) if (i < list.length) mix.push({ kind, q: list[i] });
    const times = {};
    const totals = {};
    let cpuBefore = 0;
    for (let round = -1; round < ROUNDS; round++) {
      if (round === 0) cpuBefore = cpuSeconds(server.pid);
      for (const [n, { kind, q }] of mix.entries()) {
        if (round === -1 && n >= WARMUP) break;
        const [text, filters] = q.split('|');
        const began = process.hrtime.bigint();
        const res = await fetch(`${base}/api/tickets?q=${encodeURIComponent(text)}${filters ? `&${filters}` : ''}`, { headers });
        const body = await res.json();
        const ms = Number(process.hrtime.bigint() - began) / 1e6;
        if (!res.ok) throw new Error(`search ${q} answered ${res.status}: ${JSON.stringify(body)}`);
        if (round === -1) continue;
        (times[kind] ??= []).push(ms);
        if (round === 0) (totals[kind] ??= []).push(body.total);
      }
    }
    const overall = Object.values(times).flat();
    // Server CPU per search: a figure the other processes on the machine do not inflate as they do latency.
    const cpuMsPerQuery = Math.round(((cpuSeconds(server.pid) - cpuBefore) * 1000 / overall.length) * 10) / 10;
    // For reference: the same page (50 consults, newest first) without a search.
    const plain = [];
    for (let i = 0; i < 30; i++) {
      const began = process.hrtime.bigint();
      const res = await fetch(`${base}/api/tickets`, { headers });
      await res.json();
      plain.push(Number(process.hrtime.bigint() - began) / 1e6);
    }
    console.log(`\n| figure (${CONSULTS.toLocaleString('en')} consults, ${seeded.messages.toLocaleString('en')} messages, ${(seeded.chars / 1e6).toFixed(1)} M characters, SQLite) | p95 | median | target |\n| --- | --- | --- | --- |`);
    for (const [kind, t] of Object.entries(times)) {
      console.log(`| consult search, ${kind} (${QUERIES[kind].length} queries × ${ROUNDS}, ${Math.min(...totals[kind])}–${Math.max(...totals[kind])} matches), through HTTP | ${percentile(t, 95)} ms | ${percentile(t, 50)} ms | |`);
    }
    console.log(`| consult search, all ${overall.length} queries, GET /api/tickets?q= through HTTP (50 per page, highlights) | ${percentile(overall, 95)} ms | ${percentile(overall, 50)} ms | < 50 ms p95 |`);
    console.log(`| server CPU per search (user + system, all ${overall.length} queries) | ${cpuMsPerQuery} ms | | |`);
    console.log(`| for reference: GET /api/tickets without q (50 newest, 30 times) | ${percentile(plain.slice(5), 95)} ms | ${percentile(plain.slice(5), 50)} ms | |`);
    if (backfillSeconds !== null) console.log(`| index backfill of every consult on first start (indexer every 2 s, identity masked) | ${backfillSeconds.toFixed(1)} s | | |`);
    console.log('');
    console.log(JSON.stringify({
      benchmark: 'consult-search', consults: CONSULTS, messages: seeded.messages, characters: seeded.chars, queries: overall.length,
      searchP95Ms: percentile(overall, 95), searchP50Ms: percentile(overall, 50), cpuMsPerQuery, backfillSeconds, withoutQueryP50Ms: percentile(plain.slice(5), 50),
      byKind: Object.fromEntries(Object.entries(times).map(([k, t]) => [k, { p95: percentile(t, 95), p50: percentile(t, 50), n: t.length }])), node: process.version,
    }));
  } finally {
    await stopServer(server);
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
}

main().catch((err) => { console.error(err); process.exit(1); });
