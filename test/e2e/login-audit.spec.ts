import { StaffService } from '@kkd/staff';
import { ConsoleClient, MANAGER, startTestServer, TestServer } from './support/test-server';

/** The rows of the /audit table: [日時, 操作者, 操作, 対象, 内容] as text. */
function auditRows(html: string): string[][] {
  const body = /<tbody>([\s\S]*?)<\/tbody>/.exec(html)?.[1] ?? '';
  return [...body.matchAll(/<tr>([\s\S]*?)<\/tr>/g)].map(([, row]) =>
    [...row.matchAll(/<td[^>]*>([\s\S]*?)<\/td>/g)].map(([, cell]) => cell.replace(/<[^>]+>/g, '').trim()));
}

describe('audit of staff sign-ins, sign-outs and account changes', () => {
  let t: TestServer;
  let manager: ConsoleClient;
  const AUDITEE = { email: 'auditee@helpdesk.test', name: '監査 対象', password: 'Kiri-same-Tokyo-2026' };
  const WRONG = 'Wrong-Guess-Osaka-77';
  const auditPage = async (query: string) => {
    const page = await manager.get(`/audit?${query}`);
    expect(page.status).toBe(200);
    return page;
  };

  beforeAll(async () => {
    t = await startTestServer();
    await t.server.app.get(StaffService).create({ ...AUDITEE, role: 'expert' });
    manager = new ConsoleClient(t.baseUrl);
    expect((await manager.login(MANAGER.email, MANAGER.password)).status).toBe(303);
  });
  afterAll(async () => { await t.close(); });

  it('records a sign-in and a sign-out with who and from where', async () => {
    const client = new ConsoleClient(t.baseUrl);
    expect((await client.login(AUDITEE.email, AUDITEE.password)).status).toBe(303);
    const page = await client.get('/consults');
    expect((await client.post('/logout', { _csrf: ConsoleClient.csrfOf(page.html) })).status).toBe(303);

    const logins = auditRows((await auditPage(`action=staff.login&target=${AUDITEE.email}`)).html);
    expect(logins).toHaveLength(1);
    expect(logins[0].slice(1, 4)).toEqual([AUDITEE.email, 'ログイン', AUDITEE.email]);
    expect(logins[0][4]).toMatch(/ip: \S*127\.0\.0\.1/);
    const logouts = auditRows((await auditPage(`action=staff.logout&target=${AUDITEE.email}`)).html);
    expect(logouts.map((r) => r.slice(1, 4))).toEqual([[AUDITEE.email, 'ログアウト', AUDITEE.email]]);
  });

  it('records a failed sign-in with the address tried and the client address, answering as for an unknown account', async () => {
    const wrong = await new ConsoleClient(t.baseUrl).login(AUDITEE.email, WRONG);
    const unknown = await new ConsoleClient(t.baseUrl).login('ghost@helpdesk.test', WRONG);
    const answer = (html: string) => html.replace(/name="_csrf" value="[^"]+"/, '').replace(/value="[^"]*@helpdesk\.test"/, '');
    expect(wrong.status).toBe(401);
    expect(unknown.status).toBe(401);
    expect(answer(wrong.html)).toBe(answer(unknown.html));

    const failed = auditRows((await auditPage('action=staff.login_failed')).html);
    expect(failed.map((r) => r.slice(1, 4))).toEqual(expect.arrayContaining([
      ['（未ログイン）', 'ログインの失敗', AUDITEE.email],
      ['（未ログイン）', 'ログインの失敗', 'ghost@helpdesk.test'],
    ]));
    expect(failed.find((r) => r[3] === AUDITEE.email)?.[4]).toMatch(/ip: \S*127\.0\.0\.1.*reason: wrong_password/);
    expect(failed.find((r) => r[3] === 'ghost@helpdesk.test')?.[4]).toMatch(/reason: unknown_account/);
  });

  it('records the throttle once when repeated failures are refused', async () => {
    const target = { email: 'throttled@helpdesk.test', name: '連続 失敗', password: 'Hanabi-Summer-2026' };
    await t.server.app.get(StaffService).create({ ...target, role: 'expert' });
    const client = new ConsoleClient(t.baseUrl);
    const statuses: number[] = [];
    for (let i = 0; i < 7; i++) statuses.push((await client.login(target.email, `${WRONG}-${i}`)).status);
    expect(statuses).toEqual([401, 401, 401, 401, 401, 429, 429]);

    const page = await auditPage(`target=${target.email}`);
    const rows = auditRows(page.html);
    expect(rows.filter((r) => r[2] === 'ログインの失敗')).toHaveLength(5);
    expect(rows.filter((r) => r[2] === 'ログインの一時停止（失敗の繰り返し）').map((r) => r[3])).toEqual([target.email]);
  });

  it('records who deactivated and reactivated an account', async () => {
    const user = (await t.server.app.get(StaffService).findByEmail(AUDITEE.email))!;
    for (const active of [false, true]) {
      const page = await manager.get(`/experts/${user.id}`);
      const form: Record<string, string> = { _csrf: ConsoleClient.csrfOf(page.html), capacity: '5' };
      if (active) form.active = 'on';
      expect((await manager.post(`/experts/${user.id}/profile`, form)).status).toBe(303);
    }
    const rows = auditRows((await auditPage(`target=${AUDITEE.email}`)).html);
    expect(rows.slice(0, 2).map((r) => r.slice(1, 4))).toEqual([
      [MANAGER.email, '担当者アカウントの再有効化', AUDITEE.email],
      [MANAGER.email, '担当者アカウントの無効化', AUDITEE.email],
    ]);
    expect(rows.some((r) => r[2] === '担当者アカウントの作成')).toBe(true);
  });

  it('never shows a password on the audit page, not even one typed into the email field', async () => {
    expect((await new ConsoleClient(t.baseUrl).login('Typed-In-Wrong-Field-9', WRONG)).status).toBe(401);
    const failed = auditRows((await auditPage('action=staff.login_failed')).html);
    expect(failed[0].slice(2, 4)).toEqual(['ログインの失敗', '（メールアドレスの形式でない入力）']);
    const pages = await Promise.all(['', 'action=staff.login_failed', `target=${AUDITEE.email}`].map(auditPage));
    for (const { html } of pages) {
      for (const secret of [AUDITEE.password, WRONG, MANAGER.password, 'Hanabi-Summer-2026', 'Typed-In-Wrong-Field-9', 'typed-in-wrong-field-9']) expect(html).not.toContain(secret);
    }
  });

  it('is not shown to an expert', async () => {
    const expert = new ConsoleClient(t.baseUrl);
    await expert.login(AUDITEE.email, AUDITEE.password);
    expect((await expert.get('/audit')).status).toBe(403);
  });
});
