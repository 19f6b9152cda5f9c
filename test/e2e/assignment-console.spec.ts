import { StaffService } from '@kkd/staff';
import { buildMail, deliverOverSmtp } from '@kkd/testing';
import { ConsoleClient, EXPERT, MANAGER, MEMBERS, startTestServer, TestServer } from './support/test-server';

const INTAKE = 'kakekomi@helpdesk.test';
const PHISHING_EXPERT = { email: 'phish@helpdesk.test', name: '標的 三郎', password: 'phish-password-123' };

describe('queue views and the consult page: triage, claim, reassignment, merge, double replies', () => {
  let t: TestServer;
  let expert: ConsoleClient;
  let manager: ConsoleClient;

  beforeAll(async () => {
    t = await startTestServer();
    await t.server.app.get(StaffService).create({ ...PHISHING_EXPERT, role: 'expert', skills: ['phishing'] });
    expert = new ConsoleClient(t.baseUrl);
    await expert.login(EXPERT.email, EXPERT.password);
    manager = new ConsoleClient(t.baseUrl);
    await manager.login(MANAGER.email, MANAGER.password);
  });
  afterAll(async () => { await t.close(); });

  const deliver = async (subject: string, body: string): Promise<number> => {
    expect((await deliverOverSmtp(t.smtpPort, buildMail({ from: MEMBERS[0].email, subject, body }).raw, { from: MEMBERS[0].email, to: [INTAKE] })).code).toBe(250);
    const list = await (await t.api('/api/tickets?order=newest')).json();
    return list.items[0].number;
  };
  const count = (html: string, label: string) => Number(new RegExp(`${label} <span class="count">(\\d+)</span>`).exec(html)?.[1]);
  const post = async (client: ConsoleClient, path: string, form: Record<string, string>) =>
    client.post(path, { _csrf: ConsoleClient.csrfOf((await client.get('/consults')).html), ...form });

  it('assigns on arrival and shows the views with their counts; an expert claims what nobody could take', async () => {
    const ransom = await deliver('ファイルが暗号化されました', '身代金を要求する脅迫文が表示されています。至急対応をお願いします。');
    const general = await deliver('セミナーについて', '来月のセミナーの日程を教えてください。');

    const mine = await expert.get('/consults?view=mine');
    expect(count(mine.html, '自分の担当')).toBe(1);
    expect(count(mine.html, '未割当')).toBe(1);
    expect(mine.html).toContain(`KKD#${ransom}<`);
    expect(mine.html).not.toContain(`KKD#${general}<`);
    const unassigned = await expert.get('/consults?view=unassigned');
    expect(unassigned.html).toContain(`KKD#${general}<`);
    expect(unassigned.html).not.toContain(`KKD#${ransom}<`);
    expect((await expert.get('/consults?view=all&category=ransomware')).html).not.toContain(`KKD#${general}<`);
    expect((await expert.get('/consults?view=all&priority=urgent')).html).toContain(`KKD#${ransom}<`);

    const page = await expert.get(`/consults/${ransom}`);
    expect(page.html).toContain('ランサムウェア <span class="source">（自動分類）</span>');
    expect(page.html).toContain('「身代金」');
    expect(page.html).toMatch(/自動割当: 専門 太郎（ランサムウェア担当・担当数 0\/5・条件を満たす唯一の担当者）/);

    const claimed = await post(expert, `/consults/${general}/claim`, {});
    expect(claimed.status).toBe(303);
    const after = await expert.get(`/consults/${general}`);
    expect(after.html).toContain('担当する: 専門 太郎 が担当になりました');
    expect(count(after.html, '自分の担当')).toBe(2);
    // Someone else's consult cannot be claimed from under them.
    const other = new ConsoleClient(t.baseUrl);
    await other.login(PHISHING_EXPERT.email, PHISHING_EXPERT.password);
    const taken = await post(other, `/consults/${general}/claim`, {});
    expect(taken.status).toBe(409);
    expect(taken.html).toContain('既に 専門 太郎 さんが担当しています。');
  });

  it('lets an expert override the category, and keeps reassignment for managers with a reason', async () => {
    const number = await deliver('ご確認のお願い', '先ほどの件、ご確認をお願いいたします。');
    expect((await post(expert, `/consults/${number}/classification`, { category: 'phishing', priority: 'high' })).status).toBe(303);
    const page = await expert.get(`/consults/${number}`);
    expect(page.html).toContain('標的型メール/フィッシング <span class="source">（担当者が変更）</span>');
    expect(page.html).toContain('優先度を変更:');
    expect(page.html).not.toContain('担当を変更</button>'); // experts see no reassignment form

    expect((await post(expert, `/consults/${number}/assignee`, { assignee: PHISHING_EXPERT.email, reason: 'x' })).status).toBe(403);
    const noReason = await post(manager, `/consults/${number}/assignee`, { assignee: PHISHING_EXPERT.email, reason: '' });
    expect(noReason.status).toBe(400);
    expect(noReason.html).toContain('再割当の理由を入力してください。');
    expect((await post(manager, `/consults/${number}/assignee`, { assignee: PHISHING_EXPERT.email, reason: 'フィッシングの専門' })).status).toBe(303);
    const detail = await (await t.api(`/api/tickets/${number}`)).json();
    expect(detail).toMatchObject({ category: 'phishing', priority: 'high', assignee: PHISHING_EXPERT.email });
    expect((await manager.get(`/consults/${number}`)).html).toMatch(/再割当: [^<]*→ 標的 三郎（理由: フィッシングの専門・管理 花子）/);
  });

  it('suggests a same-member duplicate and merges it, keeping every message', async () => {
    const first = await deliver('VPN装置への不正アクセスの疑い', 'VPN装置のログに海外からの不審なログイン試行が多数記録されています。調査をお願いします。');
    const second = await deliver('Re: VPN装置への不正アクセスの疑い', 'VPN装置のログに海外からの不審なログイン試行が多数記録されています。至急調査をお願いします。');
    const page = await expert.get(`/consults/${second}`);
    expect(page.html).toContain('重複の可能性がある相談');
    expect(page.html).toMatch(new RegExp(`<li><a href="/consults/${first}">KKD#${first}</a>`));

    const merged = await post(expert, `/consults/${second}/merge`, { target: String(first), reason: '同じ事案' });
    expect(merged.status).toBe(303);
    expect(merged.location).toBe(`/consults/${first}#timeline`);
    const detail = await (await t.api(`/api/tickets/${first}`)).json();
    expect(detail.messages.filter((m: { direction: string }) => m.direction === 'inbound')).toHaveLength(2);
    expect((await expert.get(`/consults/${second}`)).html).toContain(`この相談は <a href="/consults/${first}">KKD#${first}</a> に統合されました`);
  });

  it('warns the second expert that a reply went out since their page was opened, and sends only when confirmed', async () => {
    const number = await deliver('ランサムウェアの件', '身代金の要求がありました。');
    const pageA = await expert.get(`/consults/${number}`);
    const pageB = await manager.get(`/consults/${number}`);
    const seen = (html: string) => /name="seenMessageId" value="(\d+)"/.exec(html)![1];
    const send = (client: ConsoleClient, html: string, body: string, extra: Record<string, string> = {}) =>
      client.post(`/consults/${number}/reply`, { _csrf: ConsoleClient.csrfOf(html), body, status: 'waiting_member', seenMessageId: seen(html), ...extra });

    expect((await send(expert, pageA.html, '端末をネットワークから外してください。')).status).toBe(303);
    const conflict = await send(manager, pageB.html, '同じ趣旨の回答です。');
    expect(conflict.status).toBe(409);
    expect(conflict.html).toContain('このページを開いた後に、別の回答が送信されています');
    expect(conflict.html).toContain('同じ趣旨の回答です。'); // the draft is kept
    expect(conflict.html).toContain('端末をネットワークから外してください。'); // the other reply is shown
    const outbound = async () => (await (await t.api(`/api/tickets/${number}`)).json()).messages.filter((m: { direction: string }) => m.direction === 'outbound');
    expect(await outbound()).toHaveLength(1);
    expect((await send(manager, pageB.html, '同じ趣旨の回答です。', { confirmDouble: '1' })).status).toBe(303);
    expect(await outbound()).toHaveLength(2);
  });
});
