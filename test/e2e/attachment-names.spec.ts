import fs from 'fs';
import path from 'path';
import { buildMail, deliverOverSmtp } from '@kkd/testing';
import { ConsoleClient, EXPERT, MEMBERS, startTestServer, TestServer } from './support/test-server';

/**
 * Issue 8: a member's file name is only a label. Names that climb out of a folder, name a device
 * or carry quotes and line breaks are stored content-addressed under DATA_DIR/attachments and
 * come back only as downloads whose header cannot be broken out of.
 */
describe('hostile attachment names', () => {
  let t: TestServer;
  beforeAll(async () => { t = await startTestServer(); });
  afterAll(async () => { await t.close(); });

  it.each([
    ['../../../../etc/passwd', 'climbing with /'],
    ['..\\..\\..\\Windows\\win.ini', 'climbing with \\'],
    ['/etc/cron.d/evil', 'an absolute path'],
    ['a"; filename="evil.exe', 'a quote that would end the header value'],
  ])('keeps %s (%s) inside DATA_DIR and serves it as a download only', async (filename) => {
    const content = Buffer.from(`content of ${filename}`);
    const mail = buildMail({ from: MEMBERS[0].email, subject: `添付 ${filename}`, attachment: { filename, content, contentType: 'text/plain' } });
    expect((await deliverOverSmtp(t.smtpPort, mail.raw, { from: MEMBERS[0].email, to: ['kakekomi@helpdesk.test'] })).code).toBe(250);

    const { items } = await (await t.api(`/api/tickets?q=${encodeURIComponent(filename)}`)).json();
    const detail = await (await t.api(`/api/tickets/${items[0].number}`)).json();
    expect(detail.attachments).toEqual([expect.objectContaining({ filename, size: content.length })]);

    // The one copy is under DATA_DIR/attachments, named by its SHA-256 (never by the member's name).
    const stored = fs.readdirSync(path.join(t.config.DATA_DIR, 'attachments'), { recursive: true }) as string[];
    expect(stored.every((p) => /^[0-9a-f/]+$/.test(p))).toBe(true);

    const expert = new ConsoleClient(t.baseUrl);
    await expert.login(EXPERT.email, EXPERT.password);
    const page = await expert.get(`/consults/${items[0].number}`);
    const link = /href="(\/attachments\/\d+)"/.exec(page.html)?.[1];
    expect(link).toBeDefined();
    const res = await fetch(`${t.baseUrl}${link}`, { headers: { cookie: expert.cookieHeader() } });
    expect(res.status).toBe(200);
    expect(Buffer.from(await res.arrayBuffer())).toEqual(content);
    const disposition = res.headers.get('content-disposition')!;
    expect(disposition).toMatch(/^attachment; filename="[^"]*"; filename\*=UTF-8''[^"\s;]+$/);
    expect(res.headers.get('content-type')).toBe('application/octet-stream');
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
  });
});
