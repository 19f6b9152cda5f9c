import { keptDraft, templateGroups, templateIdsOf, withTemplateId } from './reply-compose.view-model';

describe('the reply draft kept between posts of the reply form', () => {
  it.each([
    ['a full form', { body: '本文', cannedReplyIds: '3,5', status: 'resolved' }, { replyBody: '本文', replyTemplateIds: '3,5', replyStatus: 'resolved' }],
    ['nothing posted', undefined, { replyBody: '', replyTemplateIds: '' }],
    ['a forged id list and status', { body: 'x', cannedReplyIds: '1;DROP', status: 'deleted' }, { replyBody: 'x', replyTemplateIds: '' }],
    ['a field posted twice (an array)', { body: ['a', 'b'], cannedReplyIds: ['1'] }, { replyBody: '', replyTemplateIds: '' }],
  ])('keeps %s', (_name, body, expected) => {
    expect(keptDraft(body)).toEqual(expected);
  });

  it.each([
    ['the first template', '', 7, '7'],
    ['another one, last', '3,5', 7, '3,5,7'],
    ['the same one again, moved last, once', '7,3', 7, '3,7'],
    ['at most twenty', Array.from({ length: 20 }, (_, i) => i + 1).join(','), 99, [...Array.from({ length: 19 }, (_, i) => i + 2), 99].join(',')],
  ])('adds %s to the ids', (_name, ids, id, expected) => {
    expect(withTemplateId(ids, id)).toBe(expected);
    expect(templateIdsOf(expected)).toEqual(expected.split(',').map(Number));
  });

  it('offers the consult category first, then common templates, then the other categories in vocabulary order', () => {
    const rows = [
      { id: 1, category: null, title: '受付のお礼' }, { id: 2, category: 'ransomware' as const, title: '切断' },
      { id: 3, category: 'phishing' as const, title: '報告先' }, { id: 4, category: 'malware' as const, title: '駆除' },
    ];
    expect(templateGroups(rows, 'phishing')).toEqual([
      { label: 'この相談の分類（標的型メール/フィッシング）', items: [{ id: 3, title: '報告先' }] },
      { label: '共通（すべての分類）', items: [{ id: 1, title: '受付のお礼' }] },
      { label: 'ランサムウェア', items: [{ id: 2, title: '切断' }] },
      { label: 'マルウェア感染', items: [{ id: 4, title: '駆除' }] },
    ]);
    expect(templateGroups([], 'general')).toEqual([]);
  });
});
