import fs from 'fs';
import path from 'path';
import { ImapIntakeJob } from '@kkd/inbox';
import { buildMail } from '@kkd/testing';
import { startDovecot, TestMailbox } from './support/dovecot';
import { MEMBERS, startTestServer, TestServer } from './support/test-server';

describe('IMAP intake from a real Dovecot mailbox', () => {
  let mailbox: TestMailbox;
  let t: TestServer;
  beforeAll(async () => {
    mailbox = await startDovecot();
    t = await startTestServer({ IMAP_URL: mailbox.url, IMAP_POLL_INTERVAL_MS: '3600000' });
  });
  afterAll(async () => {
    await t?.close();
    await mailbox?.stop();
  });

  it('feeds each message through the intake and moves it to the processed folder after the commit', async () => {
    const first = buildMail({ from: MEMBERS[0].email, subject: 'IMAPからの相談' });
    await mailbox.append(first.raw, new Date('2026-11-20T18:30:00+09:00'));
    await mailbox.append(buildMail({ from: MEMBERS[0].email, subject: 'Re: IMAPからの相談', inReplyTo: first.messageId, body: '追記です。' }).raw, new Date('2026-11-21T09:00:00+09:00'));
    await mailbox.append(buildMail({ from: 'stranger@unknown.example.com', subject: '未登録の送信者' }).raw);
    await t.server.app.get(ImapIntakeJob).tick();

    const list = await (await t.api('/api/tickets')).json();
    expect(list.items.map((i: { subject: string }) => i.subject)).toEqual(['IMAPからの相談']);
    const detail = await (await t.api(`/api/tickets/${list.items[0].number}`)).json();
    // The mailbox's receipt time is the consult's: due by PRODUCT.md's example.
    expect(detail).toMatchObject({ receivedAt: '2026-11-20T18:30:00+09:00' });
    expect(detail.messages).toHaveLength(2);
    expect(await mailbox.count('INBOX')).toBe(0);
    expect(await mailbox.count('Processed')).toBe(3);
  });

  it('leaves a message it could not commit in the mailbox, and takes it on the next poll', async () => {
    const rawDir = path.join(t.config.DATA_DIR, 'raw');
    fs.renameSync(rawDir, `${rawDir}.away`);
    fs.writeFileSync(rawDir, 'in the way');
    await mailbox.append(buildMail({ from: MEMBERS[1].email, subject: '障害中に届いた相談' }).raw);
    await t.server.app.get(ImapIntakeJob).tick();
    expect(await mailbox.count('INBOX')).toBe(1);

    fs.rmSync(rawDir);
    fs.renameSync(`${rawDir}.away`, rawDir);
    await t.server.app.get(ImapIntakeJob).tick();
    expect(await mailbox.count('INBOX')).toBe(0);
    expect((await (await t.api('/api/tickets?q=障害中')).json()).total).toBe(1);
  });
});
