import { endedWithoutResponse, slaBadge } from './no-response.util';

const at = (iso: string) => new Date(iso);

describe('endedWithoutResponse and the console SLA badge', () => {
  it.each([
    ['merged or closed with no reply ever sent', 'met', null, null, 'no_response', '回答不要で終了'],
    ['closed after an on-time reply', 'met', null, at('2026-11-24T01:00:00Z'), 'met', '期限内に回答'],
    ['closed after a late reply', 'met_late', null, at('2026-11-27T01:00:00Z'), 'met_late', '期限後に回答'],
    ['waiting, never answered', 'on_track', at('2026-11-26T08:00:00Z'), null, 'on_track', '期限内'],
    ['waiting past due, never answered', 'breached', at('2026-11-26T08:00:00Z'), null, 'breached', '期限超過'],
    ['answered, a follow-up waiting', 'at_risk', at('2026-11-30T08:00:00Z'), at('2026-11-24T01:00:00Z'), 'at_risk', '期限間近'],
  ] as const)('%s', (_name, state, dueAt, firstResponseAt, kind, label) => {
    expect(endedWithoutResponse({ dueAt, firstResponseAt })).toBe(kind === 'no_response');
    expect(slaBadge(state, { dueAt, firstResponseAt })).toEqual({ kind, label });
  });
});
