import { Consult, ConsultRepository } from '@kkd/consults';
import { SimilarConsultsService } from './similar-consults.service';

/** How one member (identity already masked, as in the acceptance corpus) opens and closes every mail. */
const mail = (content: string) => `〔会社名〕
駆け込み寺 ご担当者様

いつもお世話になっております。
〔会社名〕情報システム部の〔氏名〕です。

${content}

お忙しいところ恐れ入りますが、よろしくお願いいたします。

━━━━━━━━━━━━━━━━━━━━━━
〔会社名〕 情報システム部
〔氏名〕
〒〔郵便番号〕 〔住所〕
TEL: 〔電話番号〕 / Mail: 〔メールアドレス〕
━━━━━━━━━━━━━━━━━━━━━━
`;

const VPN = {
  subject: 'VPN装置への不正アクセスについて',
  text: mail('昨夜、VPN装置の管理画面に海外のIPアドレスから不正アクセスされた形跡が見つかりました。\n装置のファームウェアは最新ではありませんでした。\nログの保全方法と、確認すべき点を教えてください。'),
};
const M365 = {
  subject: 'Microsoft 365アカウントの乗っ取りについて',
  text: mail('営業部長のMicrosoft 365アカウントが乗っ取られ、取引先宛てに請求書を装ったメールが送信されていました。\n受信トレイには外部への転送ルールも作られていました。\nパスワードは変更済みです。'),
};
const TRAINING = {
  subject: '社員向けセキュリティ教育の進め方について',
  text: mail('来年度の新入社員研修で、情報セキュリティの基礎を扱う予定です。\n標的型メール訓練と組み合わせた教育の進め方や、使える教材があれば教えてください。'),
};
const QILIN = {
  subject: '【ご相談】Qilinランサムウェアへの備えについて',
  text: mail('報道でQilinランサムウェアによる被害が増えていると知りました。\n当社で優先して確認すべき設定や、侵入経路として多いものがあれば伺いたいです。'),
};
/** The VPN incident written again the next day, in other words. */
const VPN_AGAIN = {
  subject: '【再送】VPN装置への不正アクセスについて',
  text: mail('昨夜、VPN装置の管理画面に海外IPアドレスから不正アクセスされた形跡がありました。\nファームウェアは最新版ではありませんでした。\nログの保全方法と確認すべき点についてご教示ください。'),
};
/** The VPN mail forwarded again because no answer came. */
const VPN_FORWARDED = {
  subject: 'Fwd: VPN装置への不正アクセスについて',
  text: `先日お送りした件です。念のため再送いたします。

---------- Forwarded message ---------
From: 〔氏名〕 <〔メールアドレス〕>
Date: 2026年11月24日(火) 10:00
Subject: VPN装置への不正アクセスについて
To: <kakekomi@helpdesk.test>

${VPN.text}`,
};
/** A new topic started by replying to the VPN mail: its quoted history is not what it is about. */
const M365_AS_REPLY = {
  subject: 'Re: VPN装置への不正アクセスについて',
  text: `${M365.text}
2026年11月24日(火) 10:00 〔氏名〕 <〔メールアドレス〕>:
${VPN.text.split('\n').map((l) => `> ${l}`).join('\n')}`,
};

interface Stored { subject: string; text: string }

/** The service over a member's consults kept in memory, as the repository would return them. */
function serviceOver(mails: Stored[]) {
  const base = new Date('2026-11-24T01:00:00Z').getTime();
  const consults = mails.map((m, i) => ({
    id: i + 1, number: 100 + i, memberId: 7, subject: m.subject, status: 'new', category: 'general', receivedAt: new Date(base + i * 3600_000),
  }) as Consult);
  const repository = {
    memberConsultsBetween: async (_member: number, _from: Date, _to: Date, excludeId: number) => consults.filter((c) => c.id !== excludeId),
    finishedInCategory: async (_category: string, excludeId: number) => consults.filter((c) => c.id !== excludeId),
    openingTexts: async (ids: number[]) => new Map(ids.map((id) => [id, mails[id - 1].text])),
  } as unknown as ConsultRepository;
  return { service: new SimilarConsultsService(repository), consults };
}

describe('SimilarConsultsService on one member\'s mails', () => {
  it.each([
    ['VPN 不正アクセス', VPN],
    ['Microsoft 365 乗っ取り', M365],
    ['教育の相談', TRAINING],
    ['Qilin ransomware', QILIN],
  ])('does not call %s a duplicate or a similar past consult of the other unrelated ones', async (_name, subject) => {
    const mails = [VPN, M365, TRAINING, QILIN];
    const { service, consults } = serviceOver(mails);
    const consult = consults[mails.indexOf(subject)];
    expect(await service.possibleDuplicates(consult)).toEqual([]);
    expect(await service.similarPast(consult)).toEqual([]);
  });

  it.each([
    ['the same incident written again in other words', VPN_AGAIN],
    ['the same mail forwarded again', VPN_FORWARDED],
  ])('finds %s', async (_name, again) => {
    const { service, consults } = serviceOver([VPN, M365, TRAINING, QILIN, again]);
    const found = await service.possibleDuplicates(consults[4]);
    expect(found.map((s) => s.number)).toEqual([consults[0].number]);
    expect(found[0].score).toBeGreaterThanOrEqual(0.5);
  });

  it('does not let quoted history make a new topic a duplicate of the mail it replied to', async () => {
    const { service, consults } = serviceOver([VPN, M365_AS_REPLY]);
    expect(await service.possibleDuplicates(consults[1])).toEqual([]);
  });
});
