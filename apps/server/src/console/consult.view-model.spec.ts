import { OutboundAttachment, OutboundMail } from '@kkd/mail';
import { outboundItem } from './consult.view-model';

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
});
