import { messageIdsIn, replyReferences } from './reply-references.util';

const GMAIL = '<CAF=gmail+abc123XYZ@mail.gmail.com>';
const ROOT = '<base-0001@himawari.example.jp>';
const OUR_REPLY = '<kkd.1.1019c654-26cb-45a8-b34f-67d2a5cd607c@helpdesk.test>';

describe('replyReferences', () => {
  it.each([
    ['the first reply to an opening mail', { messageId: ROOT, references: null }, [ROOT], [ROOT]],
    // The acceptance case: a Gmail follow-up (id with "=" and "+") answered by a second reply.
    ['a Gmail follow-up', { messageId: GMAIL, references: `${ROOT} ${OUR_REPLY}` }, [ROOT, OUR_REPLY, GMAIL], [ROOT, OUR_REPLY, GMAIL]],
    // Ids the member's client knows and we never saw (their own earlier mail) come first, in its order.
    ['ids only the parent knows', { messageId: GMAIL, references: `<own-1@himawari.example.jp> ${ROOT}` }, [ROOT, GMAIL], ['<own-1@himawari.example.jp>', ROOT, GMAIL]],
    // Our own reply sent after the parent is known to the thread, but the parent stays last.
    ['a reply already sent after the parent', { messageId: GMAIL, references: ROOT }, [ROOT, GMAIL, OUR_REPLY], [ROOT, OUR_REPLY, GMAIL]],
    // A client that quotes only the message it answers: what it left out comes first, the root leading.
    ['a parent quoting only our reply', { messageId: GMAIL, references: OUR_REPLY }, [ROOT, OUR_REPLY, GMAIL], [ROOT, OUR_REPLY, GMAIL]],
    ['a member mail the parent does not quote', { messageId: GMAIL, references: `${ROOT} ${OUR_REPLY}` }, [ROOT, '<m2@himawari.example.jp>', OUR_REPLY, GMAIL],
      [ROOT, '<m2@himawari.example.jp>', OUR_REPLY, GMAIL]],
    ['a parent quoting itself', { messageId: GMAIL, references: `${GMAIL} ${ROOT}` }, [ROOT, GMAIL], [ROOT, GMAIL]],
    ['a parent without a Message-ID', { messageId: null, references: ROOT }, [ROOT, OUR_REPLY], [ROOT, OUR_REPLY]],
    ['no parent at all', null, [ROOT, OUR_REPLY], [ROOT, OUR_REPLY]],
    ['junk between the ids', { messageId: GMAIL, references: `${ROOT},  (comment) not-an-id\t${OUR_REPLY}` }, [], [ROOT, OUR_REPLY, GMAIL]],
  ])('%s', (_name, parent, thread, expected) => expect(replyReferences(parent, thread)).toEqual(expected));

  it('keeps the root and the latest ids when the thread is long, the parent last', () => {
    const thread = Array.from({ length: 30 }, (_, i) => `<m${i}@x.example.jp>`);
    const refs = replyReferences({ messageId: '<m29@x.example.jp>', references: thread.slice(0, 29).join(' ') }, thread, 5);
    expect(refs).toEqual(['<m0@x.example.jp>', '<m26@x.example.jp>', '<m27@x.example.jp>', '<m28@x.example.jp>', '<m29@x.example.jp>']);
    expect(replyReferences(null, thread)).toHaveLength(20);
  });
});

describe('messageIdsIn', () => {
  it('reads folded and unspaced lists', () => {
    expect(messageIdsIn(`${ROOT}\r\n ${GMAIL}<a@b>`)).toEqual([ROOT, GMAIL, '<a@b>']);
    expect(messageIdsIn(null)).toEqual([]);
  });
});
