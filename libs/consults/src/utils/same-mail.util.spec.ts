import { isSameMail, MailContent } from './same-mail.util';

const sent: MailContent = { subject: 'USBメモリの紛失', text: '社用のUSBメモリを紛失しました。\n至急ご相談です。', attachmentHashes: ['aa', 'bb'] };

describe('isSameMail', () => {
  it.each<[string, Partial<MailContent>, boolean]>([
    ['a retry of the same mail', {}, true],
    ['CRLF line ends and trailing spaces', { text: '社用のUSBメモリを紛失しました。  \r\n至急ご相談です。\r\n' }, true],
    ['a subject folded differently', { subject: 'USBメモリの紛失 ' }, true],
    ['the same files in another order', { attachmentHashes: ['bb', 'aa'] }, true],
    ['another text', { text: '社内メーラーの不具合でMessage-IDが重複しています。別件です。' }, false],
    ['another subject', { subject: 'ノートPCの紛失' }, false],
    ['a file fewer', { attachmentHashes: ['aa'] }, false],
    ['another file', { attachmentHashes: ['aa', 'cc'] }, false],
  ])('%s', (_name, change, expected) => expect(isSameMail(sent, { ...sent, ...change })).toBe(expected));
});
