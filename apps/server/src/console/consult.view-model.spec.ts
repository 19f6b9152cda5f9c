import { Consult, ConsultEvent, Message } from '@kkd/consults';
import { OutboundAttachment, OutboundMail } from '@kkd/mail';
import { identityMasker } from '@kkd/membership';
import { StaffUser } from '@kkd/staff';
import { historyItem, maskMailHtml, outboundItem, queueItem, rawForViewer, threadItem, timelineItem } from './consult.view-model';

const at = new Date('2026-11-25T01:00:00Z');
const mail = (kind: OutboundMail['kind'], status: OutboundMail['status'], toAddress: string) =>
  ({ id: 1, kind, status, toAddress, subject: 'Re: [KKD#1] 件名', createdAt: at, sentAt: status === 'sent' ? at : null, attempts: 1 }) as OutboundMail;
const member = { nickname: 'ひまわり', clubId: 'CST-00123' };
const pdf = { filename: '報告書.pdf', size: 2048 } as OutboundAttachment;

describe('outboundItem (the consult page’s list of sent mail)', () => {
  it.each([
    ['an expert sees the member by nickname and club ID only', 'reply', 'expert', '会員 ひまわり CST-00123', null],
    ['a manager also sees the address', 'reply', 'manager', '会員 ひまわり CST-00123', 'soc@himawari.example.jp'],
    ['an admin also sees the address of an acknowledgement', 'acknowledgement', 'admin', '会員 ひまわり CST-00123', 'soc@himawari.example.jp'],
  ] as const)('%s', (_name, kind, role, recipient, address) => {
    const item = outboundItem(mail(kind, 'sent', 'soc@himawari.example.jp'), [pdf], member, role);
    expect(item.recipient).toBe(recipient);
    expect(item.recipientAddress).toBe(address);
    expect(JSON.stringify(item).includes('himawari.example.jp')).toBe(role !== 'expert');
    expect(item.attachments).toEqual([{ filename: '報告書.pdf', size: '2.0 KB' }]);
  });

  it('names staff for a consult notice (staff addresses are not member data)', () => {
    expect(outboundItem(mail('notice', 'queued', 'expert@helpdesk.test'), [], member, 'expert').recipient).toBe('スタッフ expert@helpdesk.test');
  });

  it.each(['queued', 'sent', 'bounced', 'failed'] as const)('keeps the delivery state %s for its Japanese label', (status) => {
    expect(outboundItem(mail('reply', status, 'x@example.jp'), [], member, 'expert').status).toBe(status);
  });

  describe('says why a failed mail was not sent', () => {
    const failed = (lastError: string, attempts = 1) => ({ ...mail('reply', 'failed', 'soc@himawari.example.jp'), lastError, attempts }) as OutboundMail;
    const refused = failed('refused: 550 5.1.1 <soc@himawari.example.jp>: no such user');

    it.each([
      ['a manager reads the refusal as the relay answered it', 'manager', refused, '宛先が受け付けませんでした: 550 5.1.1 <soc@himawari.example.jp>: no such user'],
      ['an expert reads it without the address', 'expert', refused, '宛先が受け付けませんでした: 550 5.1.1 <〔宛先〕>: no such user'],
      ['a mail that ran out of attempts says so, with the last error', 'manager', failed("Can't send mail: 451 4.3.0 mailbox busy", 10), '10回試みて送れませんでした: Can\'t send mail: 451 4.3.0 mailbox busy'],
    ] as const)('%s', (_name, role, o, reason) => {
      expect(outboundItem(o, [], member, role).failure).toBe(reason);
    });

    it('masks the member\'s identity in the reason for an expert', () => {
      const o = failed('refused: 554 5.7.1 山田 様宛のメールは拒否されました');
      expect(outboundItem(o, [], member, 'expert', (t) => t.replace('山田', '〔氏名〕')).failure).toBe('宛先が受け付けませんでした: 554 5.7.1 〔氏名〕 様宛のメールは拒否されました');
    });

    it.each(['queued', 'sent', 'bounced'] as const)('nothing for a mail %s', (status) => {
      expect(outboundItem({ ...refused, status } as OutboundMail, [], member, 'manager').failure).toBeNull();
    });
  });
});

describe('threadItem and rawForViewer with a member mask (what an expert reads)', () => {
  const mask = identityMasker({
    company: 'ひまわり精機株式会社', department: '情報システム部', contactName: '山田 太郎', phone: '03-1234-5678', postalCode: '100-0005',
    address: '東京都千代田区丸の内一丁目2番3号', emails: ['t-yamada@himawari-seiki.co.jp'],
  });
  const inbound = {
    id: 7, direction: 'inbound', author: null, occurredAt: at, subject: 'ひまわり精機より 不審な通信（203.0.113.9）', parseError: null, attachments: [],
    text: '203.0.113.9 への通信を検知しました。\n\n--\nひまわり精機株式会社 情報システム部\n山田 太郎\nTEL 03-1234-5678\n\n> 山田様\n> ログをお送りください。',
    html: '<p>203.0.113.9 への通信を検知しました。</p><p>山田 太郎</p>',
  } as unknown as Message;

  it('masks the fresh text, the quoted history, the subject and the HTML view', () => {
    const item = threadItem(inbound, null, mask);
    expect(item.fresh).toBe('203.0.113.9 への通信を検知しました。\n\n--\n〔会社名〕 〔部署名〕\n〔氏名〕\nTEL 〔電話番号〕');
    expect(item.quoted).toContain('〔氏名〕様');
    expect(item.subject).toBe('〔会社名〕より 不審な通信（203.0.113.9）');
    expect(item.html).toBe('<p>203.0.113.9 への通信を検知しました。</p><p>〔氏名〕</p>');
    expect(JSON.stringify(item)).not.toMatch(/ひまわり|山田|1234/);
  });

  it('shows managers and admins the texts and the HTML as received', () => {
    const item = threadItem(inbound, null);
    expect(item.fresh).toContain('山田 太郎');
    expect(item.subject).toBe(inbound.subject);
    expect(item.html).toBe(inbound.html);
  });

  it.each([
    ['a signature over paragraphs and line breaks', '<p>ログを添付します。</p><p>--<br>ひまわり精機株式会社<br>高橋 一郎<br>TEL 03-1234-5678</p>',
      '<p>ログを添付します。</p><p>--<br>〔会社名〕<br>〔氏名〕<br>TEL 〔電話番号〕</p>'],
    ['a name inside markup', '<p><b>山田 太郎</b>です。</p>', '<p><b>〔氏名〕</b>です。</p>'],
    ['a mailto link and a link to the member site, the path kept', '<a href="mailto:t-yamada@himawari-seiki.co.jp" rel="noopener">連絡先</a> <a href="https://www.himawari-seiki.co.jp/a?x=1&amp;y=2">サイト</a>',
      '<a href="mailto:〔メールアドレス〕" rel="noopener">連絡先</a> <a href="https://〔ホスト名〕/a?x=1&amp;y=2">サイト</a>'],
    ['escaped markup in the text, kept escaped', '<p>&lt;script&gt; &amp; 山田&#x69D8;</p>', '<p>&lt;script&gt; &amp; 〔氏名〕様</p>'],
    ['an indicator and a third-party link, kept', '<p><a href="hxxp://evil.example.net/x">hxxp://evil.example.net/x</a> 198.51.100.7</p>',
      '<p><a href="hxxp://evil.example.net/x">hxxp://evil.example.net/x</a> 198.51.100.7</p>'],
  ])('masks HTML for an expert: %s', (_name, html, expected) => {
    expect(maskMailHtml(html, mask)).toBe(expected);
  });

  const raw = 'From: 山田 太郎 <t-yamada@himawari-seiki.co.jp>\r\nSubject: test\r\n\r\nひまわり精機の山田です。203.0.113.9 から通信。';
  it.each([
    ['an expert: identity headers blanked, the body masked', 'expert', 'From: (非表示)\nSubject: test\n\n〔会社名〕の〔氏名〕です。203.0.113.9 から通信。'],
    ['a manager: as received', 'manager', raw],
  ] as const)('gives %s', (_name, role, expected) => {
    expect(rawForViewer(raw, { role } as StaffUser, role === 'expert' ? mask : null)).toBe(expected);
  });

  it('masks a timeline summary for an expert, not for a manager', () => {
    const event = { kind: 'reassigned', summary: '山田 太郎様から電話で依頼', occurredAt: at, actor: null } as unknown as ConsultEvent;
    expect(timelineItem(event, mask).summary).toBe('〔氏名〕様から電話で依頼');
    expect(timelineItem(event).summary).toBe('山田 太郎様から電話で依頼');
  });

  it('masks attachment file names for an expert, the extension kept; managers read them as sent', () => {
    const withFiles = { ...inbound, attachments: [
      { id: 1, filename: 'ひまわり精機株式会社_侵害調査ログ.zip', size: 10, encrypted: false },
      { id: 2, filename: 'proxy_access.log', size: 10, encrypted: false },
    ] } as unknown as Message;
    expect(threadItem(withFiles, null, mask).attachments.map((a) => a.filename)).toEqual(['〔会社名〕_侵害調査ログ.zip', 'proxy_access.log']);
    expect(threadItem(withFiles, null).attachments.map((a) => a.filename)).toEqual(['ひまわり精機株式会社_侵害調査ログ.zip', 'proxy_access.log']);
    const sent = [{ filename: '山田太郎様_調査報告.pdf', size: 2048 } as OutboundAttachment];
    expect(outboundItem(mail('reply', 'sent', 'x@example.jp'), sent, member, 'expert', mask).attachments[0].filename).toBe('〔氏名〕様_調査報告.pdf');
    expect(outboundItem(mail('reply', 'sent', 'x@example.jp'), sent, member, 'manager').attachments[0].filename).toBe('山田太郎様_調査報告.pdf');
  });

  it('marks the files the retention period deleted, so the page shows why instead of a link', () => {
    const expired = { ...inbound, parseError: 'broken MIME', rawDeletedAt: at, attachments: [
      { id: 1, filename: 'old.log', size: 10, encrypted: false, deletedAt: at },
      { id: 2, filename: 'shared.log', size: 10, encrypted: false, deletedAt: null },
    ] } as unknown as Message;
    const item = threadItem(expired, null);
    expect(item.rawDeleted).toBe(true);
    expect(item.attachments.map((a) => [a.filename, a.deleted])).toEqual([['old.log', true], ['shared.log', false]]);
    expect(threadItem(inbound, null).rawDeleted).toBe(false);
  });

  it('masks the subjects of earlier consults and sent mail for an expert', () => {
    expect(historyItem({ number: 3, subject: '山田より', receivedAt: at, category: 'general', status: 'closed' }, mask).subject).toBe('〔氏名〕より');
    expect(outboundItem(mail('reply', 'sent', 'x@example.jp'), [], member, 'expert', (t) => t.replace('件名', '〔氏名〕')).subject).toBe('Re: [KKD#1] 〔氏名〕');
  });
});

describe('queueItem’s SLA badge (the same 回答不要で終了 as the SLA report)', () => {
  const consult = (facts: Partial<Consult>) => ({
    number: 3, subject: '件名', status: 'closed', member, category: 'general', priority: 'normal', assignee: null, receivedAt: at,
    firstDueAt: new Date('2026-11-30T08:00:00Z'), dueAt: null, firstResponseAt: null, mergedIntoId: null, ...facts,
  }) as unknown as Consult;

  it.each([
    ['merged into another consult, no reply ever sent', { mergedIntoId: 4 }, 'met', 'no_response', '回答不要で終了'],
    ['closed with no reply ever sent', {}, 'met', 'no_response', '回答不要で終了'],
    ['closed after a reply in time', { firstResponseAt: at }, 'met', 'met', '期限内に回答'],
    ['still waiting for the first reply', { status: 'open', dueAt: new Date('2026-11-30T08:00:00Z') }, 'on_track', 'on_track', '期限内'],
  ] as const)('%s', (_name, facts, state, kind, label) => {
    expect(queueItem(consult(facts), state, null).sla).toEqual({ kind, label });
  });
});
