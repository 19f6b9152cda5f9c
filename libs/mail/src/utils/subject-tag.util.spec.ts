import { bareSubject, consultNumberInSubject, normalizeSubject, taggedSubject } from './subject-tag.util';

describe('subject tag', () => {
  it.each([
    ['[KKD#12] 不審なメール', 12],
    ['Re: [kkd#7] 件名', 7],
    ['件名のみ', null],
    ['[KKD#abc] x', null],
    ['Ｒｅ： ［ＫＫＤ＃８］ 全角のタグ', 8],
  ])('finds the number in %s', (subject, number) => expect(consultNumberInSubject(subject)).toBe(number));

  it('tags a subject once, without reply prefixes', () => {
    expect(taggedSubject(3, 'ランサムウェア感染の疑い')).toBe('[KKD#3] ランサムウェア感染の疑い');
    expect(taggedSubject(3, '[KKD#3] ランサムウェア感染の疑い', 'Re: ')).toBe('Re: [KKD#3] ランサムウェア感染の疑い');
    expect(taggedSubject(3, 'Re: [KKD#3] Re: 返信: ランサムウェア感染の疑い', 'Re: ')).toBe('Re: [KKD#3] ランサムウェア感染の疑い');
  });
});

describe('normalizeSubject', () => {
  it.each([
    ['Re: 件名', '件名'], ['RE:件名', '件名'], ['re : 件名', '件名'], ['Ｒｅ：件名', '件名'], ['Ｒｅ： 件名', '件名'],
    ['返信: 件名', '件名'], ['返信：件名', '件名'], ['Fw: 件名', '件名'], ['FW:件名', '件名'], ['Fwd: 件名', '件名'],
    ['転送: 件名', '件名'], ['転送：件名', '件名'], ['Re: Re: RE: 件名', '件名'], ['Re: 転送: Fwd: 返信: 件名', '件名'],
    ['Re[2]: 件名', '件名'], ['Re^3: 件名', '件名'], ['ＦＷ： ＲＥ： 件名', '件名'],
    ['件名: Re: は途中なので残る', '件名: Re: は途中なので残る'], ['Reply requested', 'Reply requested'], ['Regarding: 件名', 'Regarding: 件名'],
    ['  件名  ', '件名'], ['', ''],
  ])('%j → %j', (subject, normalized) => expect(normalizeSubject(subject)).toBe(normalized));
});

describe('bareSubject', () => {
  it.each([
    ['a plain subject', 'ランサムウェア感染の疑い', 'ランサムウェア感染の疑い'],
    ['reply prefixes only', 'Re: 返信: Fwd: VPNの脆弱性', 'VPNの脆弱性'],
    ['a foreign tag after Re:', 'Re: [KKD#1] ランサムウェア感染の疑い（至急）', 'ランサムウェア感染の疑い（至急）'],
    ['prefixes on both sides of the tag', 'Re: [KKD#1] Re: 返信: ランサムウェア', 'ランサムウェア'],
    ['a tag first', '[KKD#12] Fwd: 不審なメール', '不審なメール'],
    ['full-width tag and prefix', 'Ｒｅ：［ＫＫＤ＃３４］ 不審なメール', '不審なメール'],
    ['lower case, two tags', 're: [kkd#1][KKD#2] 件名', '件名'],
    ['a tag at the end', '不審なメール [KKD#7]', '不審なメール'],
    ['a tag inside keeps the words apart', 'サーバ[KKD#7]停止', 'サーバ 停止'],
    ['only a tag', 'Re: [KKD#5]', ''],
    ['not our tag', '[ABC#1] 件名', '[ABC#1] 件名'],
    ['full-width letters in the subject stay as sent', 'Re: [KKD#1] ＵＳＢ紛失', 'ＵＳＢ紛失'],
  ])('%s', (_name, subject, expected) => expect(bareSubject(subject)).toBe(expected));
});
