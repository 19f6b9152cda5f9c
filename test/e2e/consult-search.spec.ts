import { ConsultSearchIndexJob } from '@kkd/consults';
import { buildMail, deliverOverSmtp } from '@kkd/testing';
import { ConsoleClient, EXPERT, MANAGER, MEMBERS, startTestServer, TestServer } from './support/test-server';

const INTAKE = 'kakekomi@helpdesk.test';
const [HIMAWARI, SAKURA] = MEMBERS;
const RANSOM_MAIL = [
  'お世話になっております。ひまわり精機の山田です。',
  '社内のファイルサーバがランサムウェアに感染し、<script>alert(1)</script> という名前のファイルが残されていました。',
  '',
  '--',
  'ひまわり精機株式会社 情報システム部',
  '山田 太郎',
  'TEL: 03-1234-5678',
  'E-mail: soc@himawari.example.jp',
].join('\n');

interface Marked { text: string; marks: [number, number][] }
const markedWords = (m: Marked | null) => (m ? m.marks.map(([s, e]) => m.text.slice(s, e)) : []);

describe('search across consults over SMTP and HTTP', () => {
  let t: TestServer;
  const search = async (q: string, extra = '') => (await t.api(`/api/tickets?q=${encodeURIComponent(q)}${extra}`)).json();
  /** What the scheduler does every 2 s, run now instead of waited for. */
  const index = () => t.server.app.get(ConsultSearchIndexJob).tick();

  beforeAll(async () => {
    t = await startTestServer();
    for (const [from, subject, body] of [
      [HIMAWARI.email, 'ファイルが開けません', RANSOM_MAIL],
      [SAKURA.email, 'ＶＰＮ装置の件', 'ＥＭＯＴＥＴ（ｴﾓﾃｯﾄ）の感染も疑っています。'],
    ]) await deliverOverSmtp(t.smtpPort, buildMail({ from, subject, body }).raw, { from, to: [INTAKE] });
    await index();
  });
  afterAll(async () => { await t.close(); });

  it('finds a consult by words of its mail, with the INTERFACES.md shape and a highlighted snippet', async () => {
    const res = await t.api(`/api/tickets?q=${encodeURIComponent('ランサムウェア')}`);
    expect(res.status).toBe(200);
    const { items, total } = await res.json();
    expect(total).toBe(1);
    expect(items[0]).toMatchObject({
      number: 1, subject: 'ファイルが開けません', status: expect.any(String), member: { displayName: 'ひまわり CST-00123' },
      receivedAt: expect.any(String), slaState: expect.any(String),
    });
    expect(Object.keys(items[0])).toEqual(expect.arrayContaining(['number', 'subject', 'status', 'member', 'assignee', 'receivedAt', 'dueAt', 'slaState', 'highlight']));
    expect(markedWords(items[0].highlight.snippet)).toEqual(['ランサムウェア']);
    expect(items[0].highlight.subject).toEqual({ text: 'ファイルが開けません', marks: [] });
    expect((await t.api('/api/tickets?q=x', { token: '' })).status).toBe(401);
  });

  it('matches full-width and half-width forms, and finds a consult by number first', async () => {
    for (const q of ['emotet', 'エモテット', 'vpn装置']) expect((await search(q)).items.map((i: { number: number }) => i.number)).toEqual([2]);
    const vpn = await search('vpn装置');
    expect(markedWords(vpn.items[0].highlight.subject)).toEqual(['ＶＰＮ装置']);
    for (const q of ['2', '#2', 'KKD#2', '２']) expect((await search(q)).items[0].number).toBe(2);
    expect((await search('ランサムウェア', '&status=closed')).items).toEqual([]);
  });

  it('never finds an expert the member\'s identity, nor shows it in a snippet', async () => {
    for (const q of ['ひまわり精機', '03-1234-5678', 'himawari.example.jp']) expect((await search(q)).items).toEqual([]);
    expect(JSON.stringify((await search('ランサムウェア')).items[0].highlight)).not.toContain('ひまわり精機');
  });

  it('finds a manager a member\'s consults by company or address, and an expert none of them', async () => {
    const numbersFor = async (token: string, q: string) => (await (await t.api(`/api/tickets?q=${encodeURIComponent(q)}`, { token })).json()).items.map((i: { number: number }) => i.number);
    for (const q of ['ひまわり精機', 'SOC@himawari.example.jp']) {
      expect(await numbersFor(t.managerToken, q)).toEqual([1]);
      expect(await numbersFor(t.expertToken, q)).toEqual([]);
    }
    expect(await numbersFor(t.managerToken, 'さくら物産')).toEqual([2]);
    // Words of the mail still come first for a manager, as for an expert.
    expect(await numbersFor(t.managerToken, 'ランサムウェア')).toEqual([1]);
    // The console queue searches the same way for each.
    const manager = new ConsoleClient(t.baseUrl);
    await manager.login(MANAGER.email, MANAGER.password);
    expect((await manager.get(`/consults?q=${encodeURIComponent('ひまわり精機')}`)).html).toContain('href="/consults/1"');
    const expert = new ConsoleClient(t.baseUrl);
    await expert.login(EXPERT.email, EXPERT.password);
    expect((await expert.get(`/consults?q=${encodeURIComponent('ひまわり精機')}`)).html).not.toContain('href="/consults/1"');
  });

  it('finds a follow-up\'s words once the indexer has run (on demand here, every 2 s in the scheduler)', async () => {
    const follow = buildMail({ from: SAKURA.email, subject: 'Re: [KKD#2] ＶＰＮ装置の件', body: '追加でファームウェアの版数を確認しました。' });
    await deliverOverSmtp(t.smtpPort, follow.raw, { from: SAKURA.email, to: [INTAKE] });
    await index();
    expect((await search('ファームウェア')).items.map((i: { number: number }) => i.number)).toEqual([2]);
  });

  it('shows the matches marked in the console queue, member text escaped first', async () => {
    const client = new ConsoleClient(t.baseUrl);
    await client.login(EXPERT.email, EXPERT.password);
    const page = await client.get(`/consults?q=${encodeURIComponent('ランサムウェア')}`);
    expect(page.status).toBe(200);
    expect(page.html).toContain('<mark>ランサムウェア</mark>');
    expect(page.html).toContain('&#60;script&#62;alert(1)&#60;/script&#62;');
    expect(page.html).not.toContain('<script>alert(1)</script>');
    // Searching ranks by relevance unless an order is chosen; 関連度順 can be chosen while searching.
    expect(page.html).toContain('<option value="" selected>既定（検索時は関連度順）</option>');
    expect(page.html).toContain('<option value="relevance">関連度順</option>');
    const byNumber = await client.get(`/consults?q=${encodeURIComponent('ｖｐｎ装置')}`);
    expect(byNumber.html).toContain('<mark>ＶＰＮ装置</mark>');
  });
});
