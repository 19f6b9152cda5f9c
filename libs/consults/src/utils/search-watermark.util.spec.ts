import { nextWatermark } from './search-watermark.util';

const NOW = new Date('2026-11-26T10:00:00Z');
const at = (secondsAgo: number) => new Date(NOW.getTime() - secondsAgo * 1000);

describe('nextWatermark', () => {
  it.each([
    ['nothing new: stays', 10, [], 10],
    ['consecutive ids: the last one', 10, [{ id: 11, createdAt: at(1) }, { id: 12, createdAt: at(1) }], 12],
    ['a young hole: stops before it', 10, [{ id: 11, createdAt: at(1) }, { id: 13, createdAt: at(1) }, { id: 14, createdAt: at(1) }], 11],
    ['a hole at the start, young: does not move', 10, [{ id: 12, createdAt: at(5) }], 10],
    ['an old hole (rolled back or deleted): passes it', 10, [{ id: 11, createdAt: at(120) }, { id: 15, createdAt: at(90) }, { id: 16, createdAt: at(1) }], 16],
    ['an old hole then a young one: stops at the young one', 10, [{ id: 12, createdAt: at(90) }, { id: 14, createdAt: at(1) }], 12],
  ])('%s', (_name, from, messages, expected) => {
    expect(nextWatermark(from, messages, NOW, 60_000)).toBe(expected);
  });
});
