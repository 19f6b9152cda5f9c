import { fillNotice, isBillingCandidate, rankInMonth } from './rank-in-month.util';

const at = (iso: string) => new Date(iso).getTime();

describe('ordinal of a consult in its month', () => {
  it.each([
    {
      name: 'each member counts on their own, by receipt time',
      rows: [{ id: 5, memberId: 2, receivedAt: at('2026-11-03T00:00Z') }, { id: 1, memberId: 1, receivedAt: at('2026-11-02T00:00Z') },
        { id: 3, memberId: 1, receivedAt: at('2026-11-01T00:00Z') }],
      expected: [[3, 1], [1, 2], [5, 1]],
    },
    {
      name: 'two consults received in the same millisecond are ordered by id',
      rows: [{ id: 9, memberId: 1, receivedAt: at('2026-11-02T00:00Z') }, { id: 4, memberId: 1, receivedAt: at('2026-11-02T00:00Z') }],
      expected: [[4, 1], [9, 2]],
    },
    {
      name: 'a consult received earlier but numbered later (held mail attached late) counts by receipt',
      rows: [{ id: 20, memberId: 1, receivedAt: at('2026-11-01T00:00Z') }, { id: 10, memberId: 1, receivedAt: at('2026-11-05T00:00Z') }],
      expected: [[20, 1], [10, 2]],
    },
    { name: 'no consults', rows: [], expected: [] },
  ])('$name', ({ rows, expected }) => {
    expect(rankInMonth(rows).map((r) => [r.id, r.ordinal])).toEqual(expected);
  });

  it.each([
    ['1st with the default threshold 3', 1, 3, false],
    ['2nd with the default threshold 3', 2, 3, false],
    ['3rd with the default threshold 3', 3, 3, true],
    ['7th with the default threshold 3', 7, 3, true],
    ['1st with threshold 1: every consult', 1, 1, true],
    ['4th with threshold 5', 4, 5, false],
    ['a merged consult (no ordinal)', null, 1, false],
  ])('%s: candidate %s', (_name, ordinal, threshold, expected) => {
    expect(isBillingCandidate(ordinal, threshold)).toBe(expected);
  });

  it('fills the notice placeholders and leaves other braces alone', () => {
    expect(fillNotice('月{threshold}件以上（本件は{ordinal}件目）{x}', { threshold: 3, ordinal: 4 })).toBe('月3件以上（本件は4件目）{x}');
  });
});
