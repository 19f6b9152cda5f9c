import { orderOptions, queueHighlight, queueLink, queueQuery } from './queue.view-model';

describe('the queue query with a search', () => {
  it.each([
    ['a search without an order: best match first', { q: 'ランサムウェア' }, 'relevance', false],
    ['a search with the default option (empty order): best match first', { q: 'ランサムウェア', order: '' }, 'relevance', false],
    ['a search with a chosen order', { q: 'ランサムウェア', order: 'oldest' }, 'oldest', true],
    ['relevance without a search: the view\'s default', { order: 'relevance' }, 'newest', false],
    ['no search, a work view: due first', { view: 'mine' }, 'due', false],
  ])('%s', (_name, query, order, chosen) => {
    const q = queueQuery(query as Record<string, string>);
    expect(q.order).toBe(order);
    expect(q.orderChosen).toBe(chosen);
  });

  it('keeps a chosen order in page links, and leaves the default out', () => {
    expect(queueLink(queueQuery({ q: 'VPN', order: 'oldest' }), 2)).toBe('/consults?view=all&q=VPN&order=oldest&page=2');
    expect(queueLink(queueQuery({ q: 'VPN' }), 2)).toBe('/consults?view=all&q=VPN&page=2');
  });

  it('offers 関連度順 only while searching, and selects 既定 unless an order was chosen', () => {
    const searching = orderOptions(queueQuery({ q: 'VPN' }));
    expect(searching.defaultSelected).toBe(true);
    expect(searching.choices.map((c) => c.value)).toEqual(['due', 'newest', 'oldest', 'relevance']);
    expect(orderOptions(queueQuery({})).choices.map((c) => c.value)).toEqual(['due', 'newest', 'oldest']);
    const chosen = orderOptions(queueQuery({ q: 'VPN', order: 'relevance' }));
    expect(chosen.defaultSelected).toBe(false);
    expect(chosen.choices.filter((c) => c.selected).map((c) => c.value)).toEqual(['relevance']);
  });
});

describe('queueHighlight', () => {
  it('renders the subject and snippet escaped, with <mark> around the matches', () => {
    const h = queueHighlight({ subject: { text: '<b>VPN</b>の件', marks: [[3, 6]] }, snippet: { text: '…ＶＰＮ & 装置…', marks: [[1, 4]] } });
    expect(String(h.subjectHtml)).toBe('&#60;b&#62;<mark>VPN</mark>&#60;/b&#62;の件');
    expect(String(h.snippetHtml)).toBe('…<mark>ＶＰＮ</mark> &#38; 装置…');
    expect(queueHighlight({ subject: { text: '件名', marks: [] }, snippet: null }).snippetHtml).toBeNull();
    expect(queueHighlight(undefined)).toEqual({});
  });
});

describe('the queue page number', () => {
  it.each([
    ['none: the first', undefined, 1], ['a page', '3', 3], ['not a number: the first', 'abc', 1], ['zero or less: the first', '-2', 1],
    ['huge: capped (the controller then goes to the last page)', '99999999999999999999', 100_000],
  ])('%s', (_name, page, expected) => expect(queueQuery({ page }).page).toBe(expected));
});
