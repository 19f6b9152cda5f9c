import { digestWindow } from './digest-window.util';

const at = (iso: string) => new Date(iso);

describe('digestWindow', () => {
  const scenarios: { name: string; now: string; last: string | null; expected: { key: string; since: string; until: string } | null }[] = [
    { name: 'before 08:30 JST: no digest yet', now: '2026-11-25T23:29:59Z', last: null, expected: null },
    { name: 'just after midnight JST: no digest', now: '2026-11-25T15:05:00Z', last: null, expected: null },
    {
      name: 'first digest at 08:30 JST covers the 24 hours before',
      now: '2026-11-25T23:30:00Z', last: null,
      expected: { key: '2026-11-26', since: '2026-11-24T23:30:00.000Z', until: '2026-11-25T23:30:00.000Z' },
    },
    {
      name: 'a later digest starts where the last one ended',
      now: '2026-11-26T23:35:00Z', last: '2026-11-25T23:30:00Z',
      expected: { key: '2026-11-27', since: '2026-11-25T23:30:00.000Z', until: '2026-11-26T23:35:00.000Z' },
    },
    {
      name: 'late in the JST evening it is still that JST date',
      now: '2026-11-26T14:59:00Z', last: '2026-11-25T23:30:00Z',
      expected: { key: '2026-11-26', since: '2026-11-25T23:30:00.000Z', until: '2026-11-26T14:59:00.000Z' },
    },
    {
      name: 'across a month end (JST date is the 1st)',
      now: '2026-11-30T23:45:00Z', last: null,
      expected: { key: '2026-12-01', since: '2026-11-29T23:30:00.000Z', until: '2026-11-30T23:45:00.000Z' },
    },
  ];

  it.each(scenarios)('$name', ({ now, last, expected }) => {
    const window = digestWindow(at(now), last ? at(last) : null);
    expect(window && { key: window.key, since: window.since.toISOString(), until: window.until.toISOString() }).toEqual(expected);
  });
});
