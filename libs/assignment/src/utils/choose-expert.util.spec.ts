import { chooseExpert, ExpertCandidate } from './choose-expert.util';

const expert = (id: number, over: Partial<ExpertCandidate> = {}): ExpertCandidate => ({
  id, name: `expert${id}`, email: `expert${id}@helpdesk.test`, active: true, skills: ['ransomware'], capacity: 5, load: 0, lastAssignmentSeq: 0, absentUntil: null, ...over,
});

describe('chooseExpert', () => {
  it.each<[string, ExpertCandidate[], number | null, string]>([
    ['the only skilled expert', [expert(1), expert(2, { skills: ['phishing'] })], 1, 'ランサムウェア担当・担当数 0/5・条件を満たす唯一の担当者'],
    ['lowest load relative to capacity, not lowest count', [expert(1, { load: 2, capacity: 4 }), expert(2, { load: 3, capacity: 10 })], 2, 'ランサムウェア担当・担当数 3/10・負荷が最も低い'],
    ['equal ratio: the one assigned least recently', [expert(1, { load: 2, lastAssignmentSeq: 9 }), expert(2, { load: 2, lastAssignmentSeq: 4 })], 2, 'ランサムウェア担当・担当数 2/5・最終割当が最も古い'],
    ['equal ratio across capacities (1/5 = 2/10)', [expert(1, { load: 2, capacity: 10, lastAssignmentSeq: 3 }), expert(2, { load: 1, capacity: 5, lastAssignmentSeq: 7 })], 1, 'ランサムウェア担当・担当数 2/10・最終割当が最も古い'],
    ['never assigned beats assigned, same load', [expert(1, { lastAssignmentSeq: 1 }), expert(2)], 2, 'ランサムウェア担当・担当数 0/5・最終割当が最も古い'],
    ['full tie: the lower id', [expert(3), expert(2)], 2, 'ランサムウェア担当・担当数 0/5・最終割当が最も古い'],
    ['at capacity is skipped', [expert(1, { load: 5 }), expert(2, { load: 4 })], 2, 'ランサムウェア担当・担当数 4/5・条件を満たす唯一の担当者'],
    ['over capacity (lowered later) is skipped', [expert(1, { load: 7, capacity: 3 }), expert(2, { load: 4 })], 2, 'ランサムウェア担当・担当数 4/5・条件を満たす唯一の担当者'],
    ['absent is skipped even when idle', [expert(1, { absentUntil: '2026-11-30' }), expert(2, { load: 4 })], 2, 'ランサムウェア担当・担当数 4/5・条件を満たす唯一の担当者'],
    ['inactive is skipped', [expert(1, { active: false }), expert(2, { load: 1 })], 2, 'ランサムウェア担当・担当数 1/5・条件を満たす唯一の担当者'],
    ['capacity 0 takes nothing', [expert(1, { capacity: 0 }), expert(2, { load: 1 })], 2, 'ランサムウェア担当・担当数 1/5・条件を満たす唯一の担当者'],
    ['nobody has the skill', [expert(1, { skills: ['phishing'] })], null, 'ランサムウェアを担当できる有効な担当者がいません'],
    ['only inactive experts have the skill', [expert(1, { active: false })], null, 'ランサムウェアを担当できる有効な担当者がいません'],
    ['every skilled expert is absent', [expert(1, { absentUntil: '2026-12-01' })], null, 'ランサムウェア担当者は全員不在です'],
    ['every present skilled expert is full', [expert(1, { load: 5 }), expert(2, { absentUntil: '2026-12-01' })], null, 'ランサムウェア担当者は全員が担当上限に達しています'],
    ['no experts at all', [], null, 'ランサムウェアを担当できる有効な担当者がいません'],
  ])('%s', (_name, candidates, expectedId, reason) => {
    const choice = chooseExpert(candidates, 'ransomware');
    expect(choice.expert?.id ?? null).toBe(expectedId);
    expect(choice.reason).toBe(reason);
  });

  it('spreads a burst by the rule: loads follow capacity and the round robin alternates on ties', () => {
    const team = [expert(1, { capacity: 2 }), expert(2, { capacity: 4 }), expert(3, { capacity: 4 })];
    const order: number[] = [];
    for (let seq = 1; seq <= 12; seq++) {
      const { expert: chosen } = chooseExpert(team, 'ransomware');
      if (!chosen) { order.push(0); continue; }
      order.push(chosen.id);
      chosen.load++;
      chosen.lastAssignmentSeq = seq;
    }
    expect(order).toEqual([1, 2, 3, 2, 3, 1, 2, 3, 2, 3, 0, 0]);
    expect(team.map((e) => e.load)).toEqual([2, 4, 4]);
  });
});
