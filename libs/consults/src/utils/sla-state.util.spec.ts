import { slaState } from './sla-state.util';

const due = new Date('2026-11-26T08:00:00Z'); // Thu 17:00 JST
const minutesLeft = (from: Date, to: Date) => Math.max(0, (to.getTime() - from.getTime()) / 60_000); // stand-in for business minutes

describe('slaState', () => {
  it.each([
    ['waiting, two days left', { firstDueAt: due, dueAt: due, firstResponseAt: null }, '2026-11-24T08:00:00Z', 'on_track'],
    ['waiting, an hour left', { firstDueAt: due, dueAt: due, firstResponseAt: null }, '2026-11-26T07:00:00Z', 'at_risk'],
    ['waiting, past due', { firstDueAt: due, dueAt: due, firstResponseAt: null }, '2026-11-26T08:00:01Z', 'breached'],
    ['answered before due', { firstDueAt: due, dueAt: null, firstResponseAt: new Date('2026-11-25T01:00:00Z') }, '2026-11-30T00:00:00Z', 'met'],
    ['answered exactly at due', { firstDueAt: due, dueAt: null, firstResponseAt: due }, '2026-11-30T00:00:00Z', 'met'],
    ['answered late', { firstDueAt: due, dueAt: null, firstResponseAt: new Date('2026-11-27T01:00:00Z') }, '2026-11-30T00:00:00Z', 'met_late'],
    ['answered, then a follow-up waits', { firstDueAt: due, dueAt: new Date('2026-12-01T08:00:00Z'), firstResponseAt: new Date('2026-11-25T01:00:00Z') }, '2026-11-27T00:00:00Z', 'on_track'],
  ])('%s → %s', (_name, facts, now, expected) => {
    expect(slaState(facts, new Date(now), minutesLeft)).toBe(expected);
  });
});
