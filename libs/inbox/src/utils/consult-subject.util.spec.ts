import { consultSubject } from './consult-subject.util';

describe('consultSubject', () => {
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
  ])('%s', (_name, subject, expected) => expect(consultSubject(subject)).toBe(expected));
});
