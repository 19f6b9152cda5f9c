import { formatJst, toJstIso } from './japan-time.util';

describe('Japan time formatting', () => {
  it.each([
    ['2026-11-20T09:30:00Z', '2026/11/20(金) 18:30', '2026-11-20T18:30:00+09:00'],
    ['2026-12-31T15:00:00Z', '2027/01/01(金) 00:00', '2027-01-01T00:00:00+09:00'],
    ['2026-11-26T08:00:00Z', '2026/11/26(木) 17:00', '2026-11-26T17:00:00+09:00'],
  ])('%s is %s in Tokyo', (utc, display, iso) => {
    expect(formatJst(new Date(utc))).toBe(display);
    expect(toJstIso(new Date(utc))).toBe(iso);
  });
});
