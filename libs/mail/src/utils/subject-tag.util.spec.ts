import { consultNumberInSubject, taggedSubject } from './subject-tag.util';

describe('subject tag', () => {
  it.each([
    ['[KKD#12] 不審なメール', 12],
    ['Re: [kkd#7] 件名', 7],
    ['件名のみ', null],
    ['[KKD#abc] x', null],
  ])('finds the number in %s', (subject, number) => expect(consultNumberInSubject(subject)).toBe(number));

  it('tags a subject once', () => {
    expect(taggedSubject(3, 'ランサムウェア感染の疑い')).toBe('[KKD#3] ランサムウェア感染の疑い');
    expect(taggedSubject(3, '[KKD#3] ランサムウェア感染の疑い', 'Re: ')).toBe('Re: [KKD#3] ランサムウェア感染の疑い');
  });
});
