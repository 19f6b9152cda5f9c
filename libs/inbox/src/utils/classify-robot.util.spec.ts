import { classifyRobot, RobotSignals } from './classify-robot.util';

const person: RobotSignals = { headers: {}, fromAddress: 'soc@himawari.example.jp', envelopeFrom: 'soc@himawari.example.jp', subject: 'ランサムウェアの相談' };
const mail = (over: Partial<RobotSignals> & { headers?: Record<string, string> }): RobotSignals => ({ ...person, ...over, headers: { ...over.headers } });

describe('classifyRobot', () => {
  it.each([
    ['a person', mail({}), null],
    ['a person replying to our ack', mail({ subject: 'Re: 受付: [KKD#3] 相談' }), null],
    ['Auto-Submitted: auto-replied', mail({ headers: { 'auto-submitted': 'auto-replied' } }), 'auto_reply'],
    ['Auto-Submitted: auto-generated', mail({ headers: { 'auto-submitted': 'auto-generated' } }), 'auto_reply'],
    ['Auto-Submitted: no (a person)', mail({ headers: { 'auto-submitted': 'no' } }), null],
    ['X-Autoreply', mail({ headers: { 'x-autoreply': 'yes' } }), 'auto_reply'],
    ['X-Auto-Response-Suppress (Exchange OOF)', mail({ headers: { 'x-auto-response-suppress': 'All' } }), 'auto_reply'],
    ['不在 subject', mail({ subject: '【不在】12/1まで不在にしております' }), 'auto_reply'],
    ['自動応答 subject', mail({ subject: '自動応答: ランサムウェアの相談' }), 'auto_reply'],
    ['Out of Office', mail({ subject: 'Out of Office: 相談' }), 'auto_reply'],
    ['Automatic reply', mail({ subject: 'Automatic reply: 相談' }), 'auto_reply'],
    ['a DSN', mail({ headers: { 'content-type': 'multipart/report; report-type=delivery-status; boundary="x"' } }), 'bounce'],
    ['MAILER-DAEMON', mail({ fromAddress: 'MAILER-DAEMON@mx.example.jp', subject: 'Undelivered Mail Returned to Sender' }), 'bounce'],
    ['postmaster', mail({ fromAddress: 'postmaster@example.jp' }), 'bounce'],
    ['the null sender', mail({ envelopeFrom: '' }), 'bounce'],
    ['Precedence: bulk', mail({ headers: { precedence: 'bulk' } }), 'bulk'],
    ['Precedence: list', mail({ headers: { precedence: 'list' } }), 'bulk'],
    ['List-Id', mail({ headers: { 'list-id': '<news.example.jp>' } }), 'bulk'],
    ['List-Unsubscribe', mail({ headers: { 'list-unsubscribe': '<mailto:u@example.jp>' } }), 'bulk'],
    ['a person writing about "不正アクセス"', mail({ subject: '不正アクセスの相談' }), null],
  ] as [string, RobotSignals, string | null][])('%s → %s', (_name, signals, kind) => expect(classifyRobot(signals)).toBe(kind));
});
