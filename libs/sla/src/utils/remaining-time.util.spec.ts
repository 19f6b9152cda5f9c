import { describeBusinessMinutes } from './remaining-time.util';

describe('describeBusinessMinutes', () => {
  it.each([[0, '0分'], [45, '45分'], [60, '1時間'], [200, '3時間 20分'], [480, '1営業日'], [600, '1営業日 2時間'], [1439, '2営業日 7時間']])(
    '%i minutes → %s', (minutes, text) => expect(describeBusinessMinutes(minutes)).toBe(text),
  );
});
