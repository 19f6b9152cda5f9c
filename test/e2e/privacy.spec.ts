import fs from 'fs';
import { simpleParser } from 'mailparser';
import { MemberImportService, MemberRepository } from '@kkd/membership';
import { StaffService, StaffUser } from '@kkd/staff';
import { buildMail, deliverOverSmtp } from '@kkd/testing';
import { DataSource } from 'typeorm';
import { ConsoleClient, EXPERT, MANAGER, startTestServer, TestServer } from './support/test-server';

const ADMIN = { email: 'admin@helpdesk.test', password: 'admin-password-123' };
/** Identity values no one would write by chance: a page or answer containing one has leaked it. */
const IDENTITY = {
  company: '極秘ストラテジクス株式会社', department: '機密対策室', contact: '秘匿 花子', phone: '03-9876-5432',
  postal: '105-0011', address: '東京都港区芝公園九丁目秘匿ビル', email: 'zz-hidden-person@kimitsu-strategics.example.jp',
};
const NICKNAME = 'すずらん';
const CLUB_ID = 'CST-07777';
const SENDER_NAME = 'Hanako Hitoku-Person';
const CSV = 'club_id,nickname,email,company,department,contact_name,phone,postal_code,address,contract_start\n'
  + `${CLUB_ID},${NICKNAME},${IDENTITY.email},${IDENTITY.company},${IDENTITY.department},${IDENTITY.contact},${IDENTITY.phone},${IDENTITY.postal},${IDENTITY.address},2026-04-01\n`;

const leaked = (text: string) => [...Object.values(IDENTITY), SENDER_NAME].filter((value) => text.includes(value));

/** The same identity as members also write it: without the legal form, the family name alone, another address at their domain, full-width digits. */
const VARIANTS = ['極秘ストラテジクス', '秘匿', 'kimitsu-strategics', 'soc-team@', '０９０－８７６５－４３２１', '090-8765-4321', '内線 2345'];
const leakedAny = (text: string) => [...leaked(text), ...VARIANTS.filter((value) => text.includes(value))];
/** What an expert needs from the same mail: an indicator, a third-party URL, the path of the member's own URL, a file name, a time. */
const KEEP = ['198.51.100.77', 'hxxps://ransom-leaks.example.net/portal/negotiate', '/ir/notice.html', 'README_RESTORE.txt', '9:12'];
const kept = (text: string) => KEEP.filter((value) => text.includes(value));

/** A member's mail as Japanese corporate mail reads: greeting, incident, signature framed by rules, a quoted earlier mail. */
const BODY = [
  '駆け込み寺 ご担当者様',
  '',
  'いつもお世話になっております。極秘ストラテジクスの秘匿です。',
  '',
  '本日 9:12 頃、ファイルサーバー（198.51.100.77 と通信）の拡張子がすべて変わりました。',
  '各フォルダに README_RESTORE.txt が置かれ、hxxps://ransom-leaks.example.net/portal/negotiate への誘導があります。',
  '弊社サイト https://www.kimitsu-strategics.example.jp/ir/notice.html も改ざんがないか確認中です。',
  'ランサムウェアでしょうか。連絡は soc-team@kimitsu-strategics.example.jp でも受けられます。',
  '',
  'よろしくお願いいたします。',
  '',
  '━━━━━━━━━━━━━━━━━━━━━━━━━━',
  IDENTITY.company,
  IDENTITY.department,
  `${IDENTITY.contact} (${SENDER_NAME})`,
  `〒${IDENTITY.postal} ${IDENTITY.address}`,
  `TEL：${IDENTITY.phone}（内線 2345）／携帯：０９０－８７６５－４３２１`,
  `E-mail：${IDENTITY.email}`,
  '※本メールは機密情報を含む場合があります。',
  '━━━━━━━━━━━━━━━━━━━━━━━━━━',
  '',
  '> 秘匿様',
  '> 先日の件、ログの保全をお願いします。',
  '> 090-8765-4321 にお電話しました。',
].join('\n');

describe('privacy per role: experts see nickname + club ID only; managers and admins see identity, audited', () => {
  let t: TestServer;
  let number: number;
  let memberId: number;
  const clients: Record<'expert' | 'manager' | 'admin', ConsoleClient> = {} as never;
  let adminToken: string;

  beforeAll(async () => {
    t = await startTestServer();
    await t.server.app.get(MemberImportService).importCsv(Buffer.from(CSV));
    memberId = (await t.server.app.get(MemberRepository).findByAddress(IDENTITY.email))!.id;
    adminToken = await t.server.app.get(StaffService).createToken(ADMIN.email);
    // The expert hears of each new ransomware consult at once: the notice quotes the member's mail.
    await t.server.app.get(DataSource).getRepository(StaffUser).update({ email: EXPERT.email }, { newConsultNotice: 'immediate' });
    const mail = buildMail({ from: `${SENDER_NAME} <${IDENTITY.email}>`, subject: `ランサムウェア感染の疑い（${IDENTITY.company} プライバシー確認）`, body: BODY });
    expect((await deliverOverSmtp(t.smtpPort, mail.raw, { from: IDENTITY.email, to: ['kakekomi@helpdesk.test'] })).code).toBe(250);
    const list = await (await t.api('/api/tickets?q=' + encodeURIComponent('プライバシー確認'))).json();
    number = list.items[0].number;
    for (const [role, who] of [['expert', EXPERT], ['manager', MANAGER], ['admin', ADMIN]] as const) {
      clients[role] = new ConsoleClient(t.baseUrl);
      expect((await clients[role].login(who.email, who.password)).status).toBe(303);
    }
    await t.flushOutbox();
  });
  afterAll(async () => { await t.close(); });

  const identityViews = async () => (await t.server.app.get(DataSource).query(
    "SELECT actor_email, target_label, details FROM audit_log WHERE action = 'member.identity_viewed' ORDER BY id",
  )) as { actor_email: string; target_label: string; details: string }[];

  it('shows experts the member as nickname + club ID in the queue, the consult page and the team pages, nothing more', async () => {
    const pages = ['/consults', '/consults?view=all', `/consults/${number}`, '/experts'];
    for (const path of pages) {
      const page = await clients.expert.get(path);
      expect(page.status).toBe(200);
      expect({ path, leaked: leaked(page.html) }).toEqual({ path, leaked: [] });
    }
    expect((await clients.expert.get(`/consults/${number}`)).html).toContain(`${NICKNAME} ${CLUB_ID}`);
  });

  it('refuses experts the members pages, the edit form and the audit log', async () => {
    for (const path of ['/members', `/members/${memberId}`, `/members/${memberId}/edit`, '/audit']) {
      const page = await clients.expert.get(path);
      expect({ path, status: page.status }).toEqual({ path, status: 403 });
      expect(leaked(page.html)).toEqual([]);
    }
  });

  it('answers experts through the API without identity fields, and records no identity view for them', async () => {
    const before = (await identityViews()).length;
    const list = await t.api('/api/tickets');
    const detail = await t.api(`/api/tickets/${number}`);
    const texts = [await list.text(), await detail.text()];
    for (const text of texts) expect(leaked(text)).toEqual([]);
    const item = JSON.parse(texts[1]);
    expect(item.member).toEqual({ displayName: `${NICKNAME} ${CLUB_ID}`, clubId: CLUB_ID, nickname: NICKNAME });
    expect((await identityViews()).length).toBe(before);
  });

  it('sends experts mail that names the member by nickname + club ID only', async () => {
    const files = t.outboxFiles(EXPERT.email);
    expect(files.length).toBeGreaterThan(0); // at least the assignment notice (the expert has the ransomware skill)
    for (const file of files) {
      const mail = await simpleParser(fs.readFileSync(file));
      expect(leaked(`${mail.subject}\n${mail.text}`)).toEqual([]);
    }
  });

  it('masks the member\'s identity in the mail body an expert reads on the consult page, keeping indicators', async () => {
    const page = await clients.expert.get(`/consults/${number}`);
    expect(page.status).toBe(200);
    expect(leakedAny(page.html)).toEqual([]);
    expect(kept(page.html)).toEqual(KEEP);
    for (const token of ['〔会社名〕', '〔部署名〕', '〔氏名〕', '〔メールアドレス〕', '〔電話番号〕', '〔郵便番号〕', '〔住所〕', 'https://〔ホスト名〕/ir/notice.html']) {
      expect(page.html).toContain(token);
    }
  });

  it('masks the member\'s identity in the thread the API gives an expert', async () => {
    const detail = await (await t.api(`/api/tickets/${number}`)).json();
    const text = detail.messages.map((m: { subject: string; text: string }) => `${m.subject}\n${m.text}`).join('\n');
    expect(leakedAny(JSON.stringify(detail))).toEqual([]);
    expect(kept(text)).toEqual(KEEP);
  });

  it('quotes the member\'s mail in the expert\'s new-consult notice with the identity masked', async () => {
    const notices = [];
    for (const file of t.outboxFiles(EXPERT.email)) {
      const mail = await simpleParser(fs.readFileSync(file));
      if (mail.subject?.includes('【新規相談】')) notices.push(`${mail.subject}\n${mail.text}`);
    }
    expect(notices).toHaveLength(1);
    expect(leakedAny(notices[0])).toEqual([]);
    expect(kept(notices[0])).toEqual(KEEP);
  });

  it('keeps raw sources from experts', async () => {
    expect((await clients.expert.get('/held/1/raw')).status).toBe(403);
  });

  it('gives managers identity fields in the API and records each answer in the audit log', async () => {
    const detail = await (await t.api(`/api/tickets/${number}`, { token: t.managerToken })).json();
    expect(detail.member).toEqual(expect.objectContaining({ company: IDENTITY.company, contactName: IDENTITY.contact, email: IDENTITY.email }));
    const list = await (await t.api('/api/tickets', { token: t.managerToken })).json();
    expect(list.items.find((i: { number: number }) => i.number === number).member.company).toBe(IDENTITY.company);
    const views = (await identityViews()).filter((v) => v.actor_email === MANAGER.email && v.target_label === CLUB_ID);
    expect(views.map((v) => JSON.parse(v.details).channel)).toEqual(['api.ticket', 'api.tickets']);
  });

  it('shows managers the member page with every identity field, read-only, and audits the view', async () => {
    const list = await clients.manager.get('/members');
    expect(list.status).toBe(200);
    expect(list.html).toContain(CLUB_ID);
    expect(leaked(list.html)).toEqual([]); // the list itself shows no identity
    const page = await clients.manager.get(`/members/${memberId}`);
    expect(page.status).toBe(200);
    expect(leaked(page.html).sort()).toEqual(Object.values(IDENTITY).sort());
    expect(page.html).not.toContain('/suspend');
    expect((await clients.manager.get(`/members/${memberId}/edit`)).status).toBe(403);
    expect((await clients.manager.post(`/members/${memberId}/suspend`, { _csrf: ConsoleClient.csrfOf(page.html), reason: 'x' })).status).toBe(403);
    const views = (await identityViews()).filter((v) => v.actor_email === MANAGER.email && JSON.parse(v.details).channel === 'console.member');
    expect(views).toHaveLength(1);
    const audit = await clients.manager.get(`/audit?target=${CLUB_ID}&action=member.identity_viewed`);
    expect(audit.status).toBe(200);
    expect(audit.html).toContain('会員の連絡先の閲覧');
    expect(audit.html).toContain(MANAGER.email);
  });

  it('gives admins identity in the API and the console, audited like managers', async () => {
    const detail = await (await t.api(`/api/tickets/${number}`, { token: adminToken })).json();
    expect(detail.member.email).toBe(IDENTITY.email);
    const page = await clients.admin.get(`/members/${memberId}`);
    expect(leaked(page.html).sort()).toEqual(Object.values(IDENTITY).sort());
    const views = (await identityViews()).filter((v) => v.actor_email === ADMIN.email);
    expect(views.map((v) => JSON.parse(v.details).channel)).toEqual(['api.ticket', 'console.member']);
  });

  it('shows managers the member\'s mail as written', async () => {
    const page = await clients.manager.get(`/consults/${number}`);
    expect(leaked(page.html).sort()).toEqual([...Object.values(IDENTITY), SENDER_NAME].sort());
    const detail = await (await t.api(`/api/tickets/${number}`, { token: t.managerToken })).json();
    expect(detail.messages[0].text).toBe(BODY);
  });

  it('records each console consult page a manager opens as an identity view, and none for an expert\'s', async () => {
    const consoleViews = async () => (await identityViews()).filter((v) => JSON.parse(v.details).channel === 'console.consult');
    const before = await consoleViews();
    expect((await clients.expert.get(`/consults/${number}`)).status).toBe(200);
    expect(await consoleViews()).toEqual(before);
    const page = await clients.manager.get(`/consults/${number}`);
    expect(leaked(page.html)).toContain(IDENTITY.email);
    const after = (await consoleViews()).slice(before.length);
    expect(after.map((v) => ({ ...v, details: JSON.parse(v.details) }))).toEqual([
      { actor_email: MANAGER.email, target_label: CLUB_ID, details: { channel: 'console.consult', consult: number } },
    ]);
    const audit = await clients.manager.get(`/audit?target=${CLUB_ID}&action=member.identity_viewed`);
    expect(audit.html).toContain('会員の連絡先の閲覧');
  });
});

describe('privacy of file names and FAQ drafts: no more of the member than the expert view', () => {
  const TAKASAKI = {
    company: '㈱髙﨑製作所', department: '品質保証部', contact: '山田 花子', address: '神奈川県横浜市西区みなとみらい2-3-1', email: 'qa@takasaki-mfg.example.jp',
  };
  const FILENAME = '㈱髙﨑製作所_侵害調査ログ.zip';
  const MASKED_FILENAME = '〔会社名〕_侵害調査ログ.zip';
  /** The member as written anywhere: the company without its legal form, the department, the family name, a leading part of the address. */
  const PARTS = ['髙﨑', '品質保証部', '山田', 'みなとみらい', 'takasaki'];
  const leakedPart = (text: string) => PARTS.filter((p) => text.includes(p));
  let t: TestServer;
  let number: number;
  let attachmentId: number;
  const clients: Record<'expert' | 'manager', ConsoleClient> = {} as never;

  beforeAll(async () => {
    t = await startTestServer();
    await t.server.app.get(MemberImportService).importCsv(Buffer.from('club_id,nickname,email,company,department,contact_name,address,contract_start\n'
      + `CST-08888,たかさき,${TAKASAKI.email},${TAKASAKI.company},${TAKASAKI.department},${TAKASAKI.contact},${TAKASAKI.address},2026-04-01\n`));
    const mail = buildMail({
      from: TAKASAKI.email, subject: '侵害調査のお願い（ファイル名確認）',
      body: '髙﨑製作所 品質保証部の山田です。\n横浜市西区みなとみらいの工場で、PC から 198.51.100.88 への不審な通信がありました。ログを添付します。',
      attachment: { filename: FILENAME, content: Buffer.from('not really a zip file'), contentType: 'application/zip' },
    });
    expect((await deliverOverSmtp(t.smtpPort, mail.raw, { from: TAKASAKI.email, to: ['kakekomi@helpdesk.test'] })).code).toBe(250);
    number = (await (await t.api('/api/tickets?q=' + encodeURIComponent('ファイル名確認'))).json()).items[0].number;
    for (const [role, who] of [['expert', EXPERT], ['manager', MANAGER]] as const) {
      clients[role] = new ConsoleClient(t.baseUrl);
      expect((await clients[role].login(who.email, who.password)).status).toBe(303);
    }
  });
  afterAll(async () => { await t.close(); });

  it('gives an expert the attachment\'s file name masked in the API, a manager as sent', async () => {
    const detail = await (await t.api(`/api/tickets/${number}`)).json();
    expect(detail.attachments.map((a: { filename: string }) => a.filename)).toEqual([MASKED_FILENAME]);
    expect(leakedPart(JSON.stringify(detail))).toEqual([]);
    attachmentId = detail.attachments[0].id;
    const asManager = await (await t.api(`/api/tickets/${number}`, { token: t.managerToken })).json();
    expect(asManager.attachments.map((a: { filename: string }) => a.filename)).toEqual([FILENAME]);
  });

  it('shows an expert the file name masked on the consult page, a manager as sent', async () => {
    const page = await clients.expert.get(`/consults/${number}`);
    expect(page.html).toContain(MASKED_FILENAME);
    expect(leakedPart(page.html)).toEqual([]);
    expect((await clients.manager.get(`/consults/${number}`)).html).toContain(FILENAME);
  });

  it('names an expert\'s download with the masked file name, a manager\'s with the name as sent', async () => {
    const download = (client: ConsoleClient) => fetch(`${t.baseUrl}/attachments/${attachmentId}`, { headers: { cookie: client.cookieHeader() } });
    const asExpert = await download(clients.expert);
    expect(asExpert.status).toBe(200);
    expect(asExpert.headers.get('content-disposition')).toBe(`attachment; filename="${MASKED_FILENAME.replace(/[^\x20-\x7e]/g, '_')}"; filename*=UTF-8''${encodeURIComponent(MASKED_FILENAME)}`);
    expect(await asExpert.text()).toBe('not really a zip file');
    expect((await download(clients.manager)).headers.get('content-disposition')).toContain(`filename*=UTF-8''${encodeURIComponent(FILENAME)}`);
  });

  it('drafts an FAQ entry holding no more of the member than the expert view: the department and the partial address masked', async () => {
    expect((await t.api(`/api/tickets/${number}/replies`, { method: 'POST', body: JSON.stringify({ body: '該当 PC をネットワークから切り離してください。' }) })).status).toBe(201);
    expect((await t.api(`/api/tickets/${number}`, { method: 'PATCH', body: JSON.stringify({ status: 'resolved' }) })).status).toBe(200);
    const expertView = (await (await t.api(`/api/tickets/${number}`)).json()).messages[0].text;
    expect(expertView).toContain('〔会社名〕 〔部署名〕の〔氏名〕です。\n〔住所〕の工場で');
    const res = await t.api(`/api/tickets/${number}/faq`, { method: 'POST', body: JSON.stringify({}) });
    expect(res.status).toBe(201);
    const draft = await res.json();
    expect(leakedPart(`${draft.title}\n${draft.question}\n${draft.answer}`)).toEqual([]);
    expect(draft.question).toContain('〔会社名〕 〔部署名〕の〔氏名〕です。\n〔住所〕の工場で');
    expect(draft.replacements).toEqual(expect.arrayContaining([{ kind: 'department', token: '〔部署名〕' }, { kind: 'address', token: '〔住所〕' }]));
  });
});

describe('privacy of attachment names: the contact\'s family name alone in a file name', () => {
  // The acceptance tester's member and file: the body's 髙橋より was masked, the file name's 髙橋 was shown.
  const HIMAWARI = { company: '㈱髙﨑ひまわり精機', department: '情報システム部', contact: '髙橋 一郎', email: 'soc@himawari-seiki.example.jp' };
  const FILENAME = '髙﨑ひまわり精機_VPNログ_髙橋.txt';
  const MASKED_FILENAME = '〔会社名〕_VPNログ_〔氏名〕.txt';
  let t: TestServer;

  beforeAll(async () => {
    t = await startTestServer();
    await t.server.app.get(MemberImportService).importCsv(Buffer.from('club_id,nickname,email,company,department,contact_name,contract_start\n'
      + `CST-00201,ひまわり,${HIMAWARI.email},${HIMAWARI.company},${HIMAWARI.department},${HIMAWARI.contact},2026-04-01\n`));
  });
  afterAll(async () => { await t.close(); });

  it('masks it for an expert on the consult page, in the API and in the download\'s name, as the body is masked', async () => {
    const mail = buildMail({
      from: HIMAWARI.email, subject: 'VPN装置のログ確認（ファイル名の姓）', body: 'VPN のログを添付します。\n髙橋より',
      attachment: { filename: FILENAME, content: Buffer.from('vpn log'), contentType: 'text/plain' },
    });
    expect((await deliverOverSmtp(t.smtpPort, mail.raw, { from: HIMAWARI.email, to: ['kakekomi@helpdesk.test'] })).code).toBe(250);
    const number = (await (await t.api('/api/tickets?q=' + encodeURIComponent('ファイル名の姓'))).json()).items[0].number;

    const detail = await (await t.api(`/api/tickets/${number}`)).json();
    expect(detail.messages[0].text).toContain('〔氏名〕より');
    expect(detail.attachments.map((a: { filename: string }) => a.filename)).toEqual([MASKED_FILENAME]);

    const expert = new ConsoleClient(t.baseUrl);
    expect((await expert.login(EXPERT.email, EXPERT.password)).status).toBe(303);
    const page = await expert.get(`/consults/${number}`);
    expect(page.html).toContain(MASKED_FILENAME);
    expect(page.html).not.toContain('髙橋');
    const download = await fetch(`${t.baseUrl}/attachments/${detail.attachments[0].id}`, { headers: { cookie: expert.cookieHeader() } });
    expect(decodeURIComponent(download.headers.get('content-disposition')!)).toContain(`filename*=UTF-8''${MASKED_FILENAME}`);

    const asManager = await (await t.api(`/api/tickets/${number}`, { token: t.managerToken })).json();
    expect(asManager.attachments.map((a: { filename: string }) => a.filename)).toEqual([FILENAME]);
  });
});
