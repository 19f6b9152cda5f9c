import { describeBusinessMinutes, remainingLabel } from './remaining-time.util';

describe('describeBusinessMinutes', () => {
  it.each([[0, '0分'], [45, '45分'], [60, '1時間'], [200, '3時間 20分'], [480, '1営業日'], [600, '1営業日 2時間'], [1439, '2営業日 7時間']])(
    '%i minutes → %s', (minutes, text) => expect(describeBusinessMinutes(minutes)).toBe(text),
  );
});

describe('remainingLabel', () => {
  const minutes = (from: Date, to: Date) => Math.max(0, Math.round((to.getTime() - from.getTime()) / 60_000));
  const due = new Date('2026-11-26T08:00:00Z');
  it.each([
    ['before the due time', '2026-11-26T06:00:00Z', '残り 2時間'],
    ['at the due time', '2026-11-26T08:00:00Z', '残り 0分'],
    ['after the due time', '2026-11-26T09:30:00Z', '超過 1時間 30分'],
  ])('%s', (_name, now, label) => expect(remainingLabel(minutes, due, new Date(now))).toBe(label));
});
