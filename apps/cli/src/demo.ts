import { INestApplicationContext } from '@nestjs/common';
import { IntakeService } from '@kkd/inbox';
import { MemberImportService } from '@kkd/membership';
import { AbsenceService, japanDateOf, StaffService } from '@kkd/staff';
import type { CliIo } from './commands';

const MEMBERS_CSV = `club_id,nickname,email,company,department,contact_name,phone,postal_code,address,contract_start
CST-00101,ひまわり,soc@himawari-demo.example.jp,ひまわり精機株式会社,情報システム部,山田 太郎,03-0000-0001,100-0001,東京都千代田区千代田1-1,2026-04-01
CST-00102,さくら,csirt@sakura-demo.example.jp,さくら物産株式会社,CSIRT,佐藤 花子,06-0000-0002,530-0001,大阪府大阪市北区梅田1-1,2026-01-15
CST-00103,もみじ,security@momiji-demo.example.jp,もみじ銀行,IT統括部,鈴木 一郎,052-000-0003,460-0001,愛知県名古屋市中区三の丸1-1,2025-12-01
`;

const CONSULTS: [string, string, string][] = [
  ['soc@himawari-demo.example.jp', 'ファイルサーバーのファイルが開けません', '本日朝から、共有フォルダ内のファイルの拡張子が .locked に変わり開けなくなっています。\n各フォルダに README.txt が置かれており、身代金の支払いを要求されています。\n至急対応方法をご相談させてください。'],
  ['csirt@sakura-demo.example.jp', '取引先を装ったメールについて', '取引先の担当者名で請求書を装ったメールが届き、添付の Excel を開いた社員がいます。\nマクロは有効化していないとのことですが、確認すべき点を教えてください。'],
  ['security@momiji-demo.example.jp', '外部機関から不正通信の通報がありました', 'JPCERT/CC 様より、当社のグローバル IP アドレスから不審な通信が発生しているとの連絡を受けました。\n初動として何を確認すべきでしょうか。'],
  ['soc@himawari-demo.example.jp', 'VPN 機器の脆弱性について', '利用中の VPN 機器に脆弱性が公表されました。パッチ適用までの暫定対策について助言をお願いします。'],
];

/** `npm run demo`: sample members, staff and consults for a first look. */
export async function seedDemo(ctx: INestApplicationContext, _args: string[], _options: Record<string, string | true>, io: CliIo): Promise<void> {
  await ctx.get(MemberImportService).importCsv(Buffer.from(MEMBERS_CSV, 'utf8'));
  const staff = ctx.get(StaffService);
  // Between them the experts cover every category; one is away next week (shown on /experts).
  const accounts = [
    { email: 'expert1@helpdesk.test', name: '高橋 専門', role: 'expert' as const, skills: ['ransomware', 'malware', 'unauthorized_access'], capacity: 8 },
    { email: 'expert2@helpdesk.test', name: '伊藤 解析', role: 'expert' as const, skills: ['phishing', 'external_report', 'account_compromise'], capacity: 5 },
    { email: 'expert3@helpdesk.test', name: '中村 総合', role: 'expert' as const, skills: ['general', 'vulnerability', 'data_leak', 'ddos', 'defacement', 'malware'], capacity: 10 },
    { email: 'manager@helpdesk.test', name: '渡辺 管理', role: 'manager' as const, skills: [], capacity: 0 },
  ];
  const password = 'demo-password-2026';
  for (const { capacity, ...account } of accounts) {
    if (await staff.findByEmail(account.email)) continue;
    const user = await staff.create({ ...account, password });
    if (account.role === 'expert') await staff.updateProfile(user.id, { capacity });
  }
  const away = await staff.findByEmail('expert2@helpdesk.test');
  const absences = ctx.get(AbsenceService);
  if (away && (await absences.current([away.id])).length === 0) {
    const day = (offset: number) => japanDateOf(new Date(Date.now() + offset * 86_400_000));
    await absences.add(away.id, day(7), day(11), '出張（デモ）');
  }
  const intake = ctx.get(IntakeService);
  let i = 0;
  for (const [from, subject, body] of CONSULTS) {
    const raw = [
      `From: ${from}`, 'To: kakekomi@helpdesk.test', `Subject: =?UTF-8?B?${Buffer.from(subject).toString('base64')}?=`,
      `Message-ID: <demo-${++i}@demo.example.jp>`, 'MIME-Version: 1.0', 'Content-Type: text/plain; charset=UTF-8',
      'Content-Transfer-Encoding: base64', '', Buffer.from(body).toString('base64'), '',
    ].join('\r\n');
    await intake.accept(Buffer.from(raw), from);
  }
  io.out(`demo data ready: ${CONSULTS.length} consults from 3 members.`);
  io.out(`sign in at http://127.0.0.1:3000/login as ${accounts.map((a) => a.email).join(', ')} with password ${password}`);
}
