import { comparableText } from './comparable-text.util';

describe('comparableText', () => {
  it.each([
    ['greeting, self-introduction and closing',
      'いつもお世話になっております。〔会社名〕情報システム部の〔氏名〕です。\nファイルサーバーが暗号化されました。\n何卒よろしくお願い申し上げます。',
      'ファイルサーバーが暗号化されました。'],
    ['an unmasked self-introduction and an addressee line',
      '駆け込み寺 ご担当者様\n\nお世話になります。\nひまわり商事 情報システム部の山田です。\n\nVPN装置に不正ログインの記録がありました。',
      'VPN装置に不正ログインの記録がありました。'],
    ['a masked signature after a rule',
      '不審なメールの添付を開いてしまいました。\n\n━━━━━━━━━━\n〔会社名〕 情報システム部\n〔氏名〕\nTEL: 〔電話番号〕\n━━━━━━━━━━',
      '不審なメールの添付を開いてしまいました。'],
    ['a trailing signature without a rule',
      '不審なメールの添付を開いてしまいました。\n\n〔会社名〕\n〔氏名〕\nTEL：〔電話番号〕\nE-mail：〔メールアドレス〕',
      '不審なメールの添付を開いてしまいました。'],
    ['mask tokens inside the text',
      '〔会社名〕の社員が〔ホスト名〕で不審な通信を検知しました。',
      'の社員がで不審な通信を検知しました。'],
    ['quoted history below a reply',
      'Webサイトが改ざんされました。\n\n2026年11月24日(火) 10:00 〔氏名〕 <〔メールアドレス〕>:\n> VPN装置に不正ログインの記録がありました。\n> よろしくお願いいたします。',
      'Webサイトが改ざんされました。'],
    ['English closings',
      'Our file server was encrypted overnight.\n\nBest regards,\nTaro',
      'Our file server was encrypted overnight.\nTaro'],
  ])('leaves out %s', (_name, text, body) => {
    expect(comparableText('件名', text)).toBe(`件名\n${body}`);
  });

  it.each([
    ['Re: and the ticket tag', 'Re: [KKD#123] VPN装置への不正アクセス', 'VPN装置への不正アクセス'],
    ['a forward and a bracketed tag', 'Fwd: 【至急】VPN装置への不正アクセス', 'VPN装置への不正アクセス'],
    ['full-width prefixes', 'ＲＥ：転送：VPN装置への不正アクセス', 'VPN装置への不正アクセス'],
    ['a label at the end stays', 'VPN装置について（一般相談）', 'VPN装置について(一般相談)'],
  ])('cleans the subject: %s', (_name, subject, expected) => {
    expect(comparableText(subject, '')).toBe(expected);
  });

  it('reads a forwarded mail by what it forwards, without its header lines', () => {
    const text = '再送します。\n\n---------- Forwarded message ---------\nFrom: 〔氏名〕 <〔メールアドレス〕>\nDate: 2026年11月24日(火) 10:00\nSubject: VPN装置への不正アクセス\nTo: <kakekomi@helpdesk.test>\n\nいつもお世話になっております。\nVPN装置に不正ログインの記録がありました。\n\n--\n〔氏名〕';
    expect(comparableText('Fwd: VPN装置への不正アクセス', text)).toBe('VPN装置への不正アクセス\n再送します。\nVPN装置に不正ログインの記録がありました。');
  });

  it.each([
    ['a forward subject', 'Fwd: VPN装置への不正アクセス', '再送します。\n\n-----Original Message-----\nFrom: 〔氏名〕\nSent: Tuesday, November 24, 2026 10:00 AM\n\nVPN装置に不正ログインの記録がありました。'],
    ['nothing of its own', 'VPN装置への不正アクセス', 'よろしくお願いいたします。\n\n-----Original Message-----\nFrom: 〔氏名〕\n\nVPN装置に不正ログインの記録がありました。'],
  ])('reads quoted text as what the mail forwards with %s', (_name, subject, text) => {
    expect(comparableText(subject, text)).toContain('VPN装置に不正ログインの記録がありました。');
  });

  it('leaves out the quoted history of a short reply that is not a forward', () => {
    const text = 'Webサイトが改ざんされました。\n\n-----Original Message-----\nFrom: 〔氏名〕\n\nVPN装置に不正ログインの記録がありました。';
    expect(comparableText('Re: VPN装置への不正アクセス', text)).toBe('VPN装置への不正アクセス\nWebサイトが改ざんされました。');
  });

  it('keeps a mail that is nothing but its own words as it is', () => {
    expect(comparableText('至急', 'ランサムウェアに感染しました。')).toBe('至急\nランサムウェアに感染しました。');
  });
});
