import { INestApplicationContext } from '@nestjs/common';
import { LazyModuleLoader } from '@nestjs/core';
import { DataSource, Like } from 'typeorm';
import { ConsultsService, Message } from '@kkd/consults';
import { AppConfig, Clock } from '@kkd/core';
import { IntakeService } from '@kkd/inbox';
import { FaqPromotionService, FaqWorkflowService, KnowledgeBaseModule } from '@kkd/knowledge-base';
import { MemberImportService } from '@kkd/membership';
import { SlaModule, SlaSweepService } from '@kkd/sla';
import { AbsenceService, japanDateOf, StaffService, StaffUser } from '@kkd/staff';
import type { CliIo } from './commands';

/**
 * `npm run demo`: a lived-in Japanese data set for a first look. Eight members (one suspended),
 * three experts and a manager, about fifty consults in every state replayed through the real
 * intake, replies, notes and status changes at their own (past) times, one consult past its due
 * time, one billing candidate this month and a few published FAQ entries. Idempotent: the demo
 * mails' Message-IDs mark a database that already has the demo.
 */

const PASSWORD = 'demo-password-2026';
const MARK = 'kkd-demo';
const HOUR = 3600_000;
const DAY = 24 * HOUR;

interface DemoMember { clubId: string; nickname: string; email: string; company: string; department: string; contact: string; phone: string; postal: string; address: string; /** The contract began this many days before the demo is seeded. */ startDaysAgo: number }

const MEMBERS: Record<string, DemoMember> = {
  hi: { clubId: 'CST-00101', nickname: 'ひまわり', email: 'soc@himawari-demo.example.jp', company: 'ひまわり精機株式会社', department: '情報システム部', contact: '山田 太郎', phone: '03-0000-0001', postal: '100-0001', address: '東京都千代田区千代田1-1', startDaysAgo: 239 },
  sa: { clubId: 'CST-00102', nickname: 'さくら', email: 'csirt@sakura-demo.example.jp', company: 'さくら物産株式会社', department: 'CSIRT', contact: '佐藤 花子', phone: '06-0000-0002', postal: '530-0001', address: '大阪府大阪市北区梅田1-1', startDaysAgo: 315 },
  mo: { clubId: 'CST-00103', nickname: 'もみじ', email: 'security@momiji-demo.example.jp', company: '株式会社もみじ銀行', department: 'IT統括部', contact: '鈴木 一郎', phone: '052-000-0003', postal: '460-0001', address: '愛知県名古屋市中区三の丸1-1', startDaysAgo: 360 },
  tu: { clubId: 'CST-00104', nickname: 'つばき', email: 'it-admin@tsubaki-demo.example.jp', company: 'つばき化学工業株式会社', department: '総務部 情報管理課', contact: '高木 美咲', phone: '0299-00-0004', postal: '314-0001', address: '茨城県鹿嶋市光1-1', startDaysAgo: 178 },
  ao: { clubId: 'CST-00105', nickname: 'あおば', email: 'isms@aoba-demo.example.jp', company: '医療法人あおば会 あおば総合病院', department: '医療情報室', contact: '小林 健', phone: '022-000-0005', postal: '980-0001', address: '宮城県仙台市青葉区中央1-1', startDaysAgo: 298 },
  ka: { clubId: 'CST-00106', nickname: 'かえで', email: 'sec@kaede-demo.example.jp', company: 'かえで物流株式会社', department: 'DX推進部', contact: '加藤 直樹', phone: '092-000-0006', postal: '812-0001', address: '福岡県福岡市博多区博多駅前1-1', startDaysAgo: 270 },
  su: { clubId: 'CST-00107', nickname: 'すずらん', email: 'system@suzuran-demo.example.jp', company: 'すずらん食品株式会社', department: '管理本部 システム課', contact: '松本 由美', phone: '011-000-0007', postal: '060-0001', address: '北海道札幌市中央区北一条西1-1', startDaysAgo: 330 },
  wa: { clubId: 'CST-00108', nickname: 'わかば', email: 'cert@wakaba-demo.example.jp', company: 'わかばソフトウェア株式会社', department: 'PSIRT', contact: '井上 翔', phone: '045-000-0008', postal: '220-0001', address: '神奈川県横浜市西区みなとみらい1-1', startDaysAgo: 209 },
};

/** Contract starts count back from today, so every term still runs whenever the demo is seeded (terms are not renewed). */
function membersCsv(now: Date, suspended: string[] = []): string {
  const rows = Object.entries(MEMBERS).map(([key, m]) => [
    m.clubId, m.nickname, m.email, m.company, m.department, m.contact, m.phone, m.postal, m.address, japanDateOf(new Date(now.getTime() - m.startDaysAgo * DAY)),
    suspended.includes(key) ? 'suspended' : 'active',
  ].join(','));
  return ['club_id,nickname,email,company,department,contact_name,phone,postal_code,address,contract_start,status', ...rows].join('\n') + '\n';
}

const EXPERTS = [
  { email: 'expert1@helpdesk.test', name: '高橋 専門', role: 'expert' as const, skills: ['ransomware', 'malware', 'unauthorized_access'], capacity: 8 },
  { email: 'expert2@helpdesk.test', name: '伊藤 解析', role: 'expert' as const, skills: ['phishing', 'external_report', 'account_compromise'], capacity: 5 },
  { email: 'expert3@helpdesk.test', name: '中村 総合', role: 'expert' as const, skills: ['general', 'vulnerability', 'data_leak', 'ddos', 'defacement', 'malware'], capacity: 10 },
  { email: 'manager@helpdesk.test', name: '渡辺 管理', role: 'manager' as const, skills: [] as string[], capacity: 0 },
];

/** [hours after the first mail, what happens, text]: a staff reply, a member's follow-up, an internal note, a status. */
type Step = [number, 'reply' | 'follow' | 'note' | 'open' | 'resolved' | 'closed', string?];

interface Spec {
  m: keyof typeof MEMBERS;
  /** Days before now the first mail arrived. */
  age: number;
  subject: string;
  body: string;
  steps?: Step[];
  /** One of the member's consults this month (the billing candidate's three). */
  bill?: true;
  /** Promoted to a published FAQ entry. */
  faq?: true;
}

const CONSULTS: Spec[] = [
  // ── Older, settled consults (closed) ──
  { m: 'hi', age: 58, subject: 'Emotet の感染確認方法について', body: '取引先から「貴社を名乗る不審なメールが届いている」と連絡がありました。\n社内で Emotet に感染している端末がないか確認したいのですが、どのような方法がありますか。', faq: true,
    steps: [[3, 'reply', 'JPCERT/CC が公開している EmoCheck で各端末を確認いただくのが手早い方法です。あわせてメールサーバーのログで、送信元が社内アドレスになっている大量送信がないかをご確認ください。\n感染端末が見つかった場合はネットワークから切り離し、その端末で使っていたメールアカウントのパスワードを変更してください。'], [26, 'follow', 'EmoCheck で全端末を確認し、1台で検知がありました。切り離し済みです。'], [29, 'reply', 'ご対応ありがとうございます。該当端末は初期化のうえ、保存されていた認証情報（ブラウザ保存のパスワード等）をすべて変更してください。取引先には注意喚起の連絡を推奨します。'], [72, 'resolved'], [240, 'closed']] },
  { m: 'sa', age: 55, subject: '従業員の退職時のアカウント管理について（一般的な質問）', body: '退職者のアカウント削除が漏れていた事例が社内監査で指摘されました。\n他社ではどのような運用をされているのか、一般的な進め方を教えてください。',
    steps: [[5, 'reply', '人事システムの退職日と連動して、ID 管理台帳から無効化する運用が一般的です。少なくとも月1回は有効アカウントの棚卸しを行い、最終ログインが90日以上前のアカウントを確認されることをお勧めします。'], [50, 'resolved'], [200, 'closed']] },
  { m: 'mo', age: 52, subject: '偽サイトへの誘導について', body: '当行を装った偽サイトへ誘導するSMSが顧客に届いているとの問い合わせが複数ありました。\nフィッシング対策協議会への報告以外に取るべき対応はありますか。',
    steps: [[2, 'reply', 'フィッシング対策協議会への報告に加え、ホスティング事業者へのテイクダウン依頼、ウェブサイトでの注意喚起の掲載をお勧めします。ブラウザのセーフブラウジングへの報告も有効です。'], [2.5, 'note', '同種のSMSが他の会員でも出ていないか、来週の定例で共有する。'], [30, 'resolved'], [180, 'closed']] },
  { m: 'su', age: 50, subject: '工場のネットワークで不審な通信', body: '工場の生産管理端末から海外の IP アドレスへ定期的な通信が発生していることに気付きました。\nマルウェア感染の可能性があるか、見ていただけますか。',
    steps: [[4, 'reply', '通信先と頻度から、遠隔操作型マルウェア（RAT）の C2 通信の可能性があります。端末を切り離し、プロキシ・ファイアウォールのログを保全してください。保全手順書をお送りします。'], [30, 'follow', 'ログを保全しました。調査をお願いできますか。'], [34, 'reply', 'ログを拝見しました。通信は正規の保守ベンダーの遠隔保守ツールによるものでした。ベンダーに接続先と利用時間帯を確認し、許可リストで管理されることをお勧めします。'], [60, 'resolved'], [220, 'closed']] },
  { m: 'ka', age: 48, subject: '配送システムへの不正ログインの試行', body: 'ドライバー向けポータルに対して、深夜に大量のログイン失敗が記録されています。\nブルートフォース攻撃と思われますが、どう対処すればよいでしょうか。',
    steps: [[3, 'reply', 'ログイン失敗が一定回数を超えたアカウントの一時ロックと、送信元 IP のレート制限を設定してください。可能であれば多要素認証の導入をご検討ください。成功したログインがないかも併せてご確認ください。'], [48, 'resolved'], [170, 'closed']] },
  { m: 'ao', age: 46, subject: '電子カルテ端末の脆弱性対応の優先順位', body: '医療機器メーカーから、電子カルテ端末の OS に関するセキュリティ更新の案内がありました。\n端末台数が多く、どの順番で適用すべきか悩んでいます。',
    steps: [[6, 'reply', 'インターネットや外部媒体と接点のある端末、管理者権限で使われる端末を優先してください。メーカーの動作確認済みバージョンであることを確認のうえ、検証用の1台で適用してから展開されると安全です。'], [70, 'resolved'], [160, 'closed']] },
  { m: 'wa', age: 45, subject: '自社製品の脆弱性報告を受けた際の対応', body: 'JVN 経由で自社製品の脆弱性について報告を受けました。PSIRT として初めての対応です。\n公表までの流れを教えてください。', faq: true,
    steps: [[4, 'reply', '一般的な流れは次のとおりです。\n1. 報告内容の再現と影響範囲の確認\n2. 修正版の開発と調整機関（JPCERT/CC）との公表日の調整\n3. 修正版の公開と同時にアドバイザリを公表\n報告者への経過連絡も忘れずに行ってください。'], [40, 'resolved'], [150, 'closed']] },
  { m: 'hi', age: 43, subject: '社員がフィッシングサイトに ID を入力してしまった', body: '営業部の社員が、Microsoft 365 のログイン画面を装ったフィッシングサイトに ID とパスワードを入力してしまいました。\n入力から30分ほど経っています。', faq: true,
    steps: [[0.5, 'reply', '直ちにパスワードを変更し、すべてのセッションを無効化してください。サインインログで不審な場所からのログインがないか、受信トレイのルールや転送設定が追加されていないかも確認してください。多要素認証が未設定であれば、この機会に設定をお願いします。'], [5, 'follow', 'パスワード変更とセッション無効化を行いました。不審なログインや転送設定は見つかりませんでした。'], [7, 'reply', '確認ありがとうございます。早期に対処されたため被害はないと考えられます。同じメールが他の社員にも届いていないか、メールゲートウェイで検索されることをお勧めします。'], [30, 'resolved'], [140, 'closed']] },
  { m: 'sa', age: 41, subject: '誤送信による顧客情報の流出の可能性', body: '担当者が顧客リスト（約200件）を添付したメールを、社外の別の宛先に誤送信してしまいました。\n相手先には削除を依頼済みです。', faq: true,
    steps: [[2, 'reply', '相手先から削除完了の書面（メールでも可）を受け取り、記録として残してください。個人情報が含まれる場合は、個人情報保護委員会への報告が必要か判断が必要です。件数と内容を踏まえると報告対象となる可能性があるため、速報の準備をお勧めします。'], [3, 'note', '個人情報保護委員会への報告要否: 200件、要配慮情報なし。速報の期限を会員に伝達済み。'], [24, 'follow', '相手先から削除完了の連絡がありました。委員会への速報も提出しました。'], [27, 'reply', 'ご対応ありがとうございます。再発防止として、外部宛て送信時の一時保留や宛先確認の仕組みの導入をご検討ください。'], [60, 'resolved'], [130, 'closed']] },
  { m: 'mo', age: 39, subject: 'インターネットバンキングへの DDoS 攻撃', body: '昨晩、インターネットバンキングのサイトに大量のアクセスがあり、一時的に応答が遅くなりました。\n今後に備えて何をしておくべきでしょうか。',
    steps: [[3, 'reply', '回線事業者・CDN 事業者の DDoS 対策サービスの契約内容と、発動までの連絡手順をご確認ください。攻撃時の顧客向け告知文をあらかじめ用意しておくと初動が早くなります。'], [80, 'resolved'], [125, 'closed']] },
  { m: 'tu', age: 37, subject: 'ホームページが改ざんされています', body: '当社のホームページを開くと、見覚えのない海外のサイトにリダイレクトされるとの連絡がありました。\nCMS は WordPress です。',
    steps: [[1, 'reply', 'サイトを一時的にメンテナンス表示に切り替え、サーバー上のファイルとデータベースを保全してください。WordPress 本体・プラグインの更新状況と、管理者アカウントの追加がないかを確認してください。'], [20, 'follow', '古いプラグインの脆弱性を悪用されたようです。復旧しました。'], [22, 'reply', '復旧お疲れさまでした。管理画面へのアクセス制限と、プラグインの定期更新の運用をお勧めします。'], [50, 'resolved'], [120, 'closed']] },
  { m: 'ka', age: 36, subject: '取引先から当社のメールアカウントが乗っ取られていると指摘', body: '取引先から、当社の担当者名で振込先変更を依頼するメールが届いたと連絡がありました。\nアカウントが乗っ取られている可能性があります。',
    steps: [[1, 'reply', '該当アカウントのパスワード変更とセッション無効化をまず行ってください。メールボックスに不審な転送設定や受信トレイのルールがないか、送信済みアイテムに身に覚えのない送信がないかを確認してください。取引先には振込を保留するよう至急ご連絡ください。'], [6, 'follow', '転送設定が追加されていました。削除し、取引先にも連絡済みです。'], [8, 'reply', '転送先のアドレスは記録として残してください。被害があった場合に備え、警察への相談窓口もご案内します。'], [40, 'resolved'], [110, 'closed']] },
  { m: 'ao', age: 34, subject: '職員を狙った標的型メール', body: '院長宛てに、学会の事務局を装った標的型メールが届きました。添付ファイルは開いていません。\n他の職員にも届いている可能性があります。',
    steps: [[4, 'reply', '添付ファイルを開いていないとのことで、まずは安心です。メールサーバーで同じ送信元・件名のメールを検索し、受信者に開封していないか確認してください。検体は ZIP にパスワードを付けて保管し、必要であればお送りください。'], [90, 'resolved'], [100, 'closed']] },
  { m: 'su', age: 33, subject: 'ランサムウェア対策としてのバックアップ設計', body: '他社のランサムウェア被害の報道を受け、経営層からバックアップの見直しを指示されました。\n考え方を教えてください。',
    steps: [[8, 'reply', '「3-2-1 ルール」（3つのコピー、2種類の媒体、1つはオフラインまたは別環境）が基本です。バックアップサーバーをドメインから分離し、管理者認証を別にすることも重要です。復元テストを定期的に行ってください。'], [60, 'resolved'], [96, 'closed']] },
  { m: 'wa', age: 31, subject: 'GitHub にアクセスキーを誤って公開してしまった', body: '開発者が、クラウドのアクセスキーを含む設定ファイルを公開リポジトリに push してしまいました。\n気付いてすぐに削除しましたが、履歴には残っています。',
    steps: [[0.5, 'reply', '削除だけでは不十分です。直ちにアクセスキーを無効化して再発行してください。公開されていた間にキーが使われていないか、クラウドの監査ログで確認してください。履歴からの削除も行ってください。'], [3, 'follow', 'キーを無効化しました。監査ログでは不審な利用は見当たりませんでした。'], [4, 'reply', '確認ありがとうございます。今後は push 前のシークレットスキャンの導入をお勧めします。'], [30, 'resolved'], [90, 'closed']] },

  // ── Resolved recently ──
  { m: 'hi', age: 29, subject: 'VPN 機器の脆弱性について', body: '利用中の VPN 機器に CVSS 9.8 の脆弱性が公表されました。\nパッチ適用までの暫定対策について助言をお願いします。', faq: true,
    steps: [[2, 'reply', 'メーカーの緩和策（該当機能の無効化）を適用したうえで、管理画面へのアクセスを社内からに限定してください。すでに悪用が確認されている脆弱性ですので、機器のログで不審なログインや設定変更がないかも確認してください。パッチ公開後は速やかな適用をお願いします。'], [30, 'follow', '緩和策を適用しました。ログに不審な点はありませんでした。'], [32, 'reply', 'ありがとうございます。パッチ適用後に、認証情報（ローカル管理者・VPN ユーザー）の変更も推奨されています。'], [100, 'resolved']] },
  { m: 'mo', age: 27, subject: '外部機関からの通報への対応手順', body: '警察から、当行のサーバーが踏み台として使われている可能性があるとの通報を受けました。\n社内でどのように対応を進めればよいでしょうか。',
    steps: [[1, 'reply', 'まずは通報内容（日時、通信先、IP アドレス）を正確に記録してください。該当サーバーのログを保全し、通信が現在も続いているかを確認します。警察とのやりとりの窓口は一本化されることをお勧めします。'], [2, 'note', '警察からの照会書面のひな形を共有予定。'], [60, 'resolved']] },
  { m: 'ka', age: 25, subject: '倉庫管理システムのサーバーが暗号化された', body: '倉庫管理システムのサーバーでファイルが暗号化され、脅迫文が置かれていました。\n出荷業務が止まっています。至急ご相談させてください。',
    steps: [[0.5, 'reply', '直ちに該当サーバーをネットワークから切り離してください（電源は切らないでください）。脅迫文と暗号化されたファイルのサンプルを保全し、他のサーバーやバックアップへの影響範囲を確認してください。お電話でも状況を伺います。'], [1, 'note', '13:20 電話で状況確認。VPN 経由の侵入の可能性あり。バックアップは無事。'], [6, 'follow', 'バックアップは無事でした。復旧作業に入ります。侵入経路は VPN 機器と思われます。'], [8, 'reply', '復旧前に、侵入経路の VPN 機器の更新と全アカウントのパスワード変更を必ず行ってください。警察への被害相談と、個人情報保護委員会への報告要否の判断もお願いします。'], [48, 'follow', '業務を再開しました。警察にも相談済みです。'], [50, 'reply', '復旧お疲れさまでした。後日、振り返りのための報告書のひな形をお送りします。'], [120, 'resolved']] },
  { m: 'ao', age: 22, subject: 'USB メモリの紛失', body: '看護師が、患者情報を含む可能性がある USB メモリを紛失しました。\n暗号化はされていません。',
    steps: [[2, 'reply', '紛失の経緯（日時、場所）と、保存されていた可能性のあるデータの範囲を確認してください。警察への遺失届の提出と、個人情報保護委員会への報告の要否判断が必要です。'], [26, 'follow', '保存されていたのは勤務表のみで、患者情報は含まれていないことが確認できました。'], [28, 'reply', '患者情報が含まれていないとのこと、安心しました。今後は暗号化機能付き USB メモリの利用に限定されることをお勧めします。'], [70, 'resolved']] },
  { m: 'wa', age: 19, subject: 'セキュリティ診断の外部委託先の選び方', body: '自社サービスの脆弱性診断を外部に委託したいと考えています。\n委託先を選ぶ際のポイントをご教示ください。',
    steps: [[190, 'reply', '情報セキュリティサービス基準に適合したサービスリスト（IPA 公開）を参考にされると選びやすいです。診断範囲（Web アプリ、プラットフォーム）、再診断の有無、報告書のサンプルを比較してください。'], [210, 'resolved']] },
  { m: 'sa', age: 17, subject: 'Microsoft 365 のアカウントが乗っ取られた', body: '経理担当者のアカウントから、取引先へ大量の詐欺メールが送信されていました。\nアカウントは乗っ取られていると思われます。',
    steps: [[1, 'reply', 'パスワードの変更、セッションの無効化、多要素認証の再登録を行ってください。送信されたメールの宛先一覧を取得し、取引先へお詫びと注意喚起の連絡をお願いします。監査ログで最初の不審なサインインの日時を特定してください。'], [20, 'follow', '最初の不審なサインインは3日前、海外からでした。宛先へは連絡済みです。'], [22, 'reply', 'その期間に閲覧・ダウンロードされたメールや添付ファイルがないか、監査ログで確認してください。含まれる情報次第で、情報漏えいとしての対応が必要です。'], [90, 'resolved']] },
  { m: 'hi', age: 15, subject: 'DDoS 攻撃の予告メール', body: '「金銭を支払わなければ DDoS 攻撃を行う」という脅迫メールが代表アドレスに届きました。\n支払うつもりはありませんが、どう備えればよいでしょうか。',
    steps: [[3, 'reply', '支払いには応じないでください。回線事業者に状況を伝え、攻撃発生時の緩和策を事前に確認してください。同様の予告は実際には攻撃が行われない例も多いですが、監視を強化しておくことをお勧めします。'], [120, 'resolved']] },
  { m: 'mo', age: 13, subject: '標的型メール訓練の実施方法', body: '来年度、行員向けの標的型メール訓練を実施予定です。\n効果的な実施方法について質問させてください。',
    steps: [[30, 'reply', '年2回程度、季節や業務に合わせた題材で実施するのが一般的です。開封率だけでなく、報告率（不審メールを報告した人の割合）を指標にすると、組織の対応力を測れます。'], [100, 'resolved']] },

  // ── Waiting for the member ──
  { m: 'ao', age: 9, subject: 'ランサムウェアの身代金要求について', body: '関連施設のファイルサーバーがランサムウェアに感染し、身代金を要求されています。\nバックアップからの復旧を検討していますが、注意点を教えてください。',
    steps: [[1, 'reply', 'バックアップを復元する前に、侵入経路を特定して塞ぐことが重要です。バックアップ自体が感染していないかを隔離環境で確認してください。侵入経路の調査に必要なログの一覧をお送りしますので、保全状況をお知らせください。'], [2, 'note', '医療機関のため、厚労省への報告も必要。次回の返信で案内する。']] },
  { m: 'ka', age: 7, subject: '退職者による顧客データの持ち出し疑い', body: '先月退職した社員が、退職直前に大量の顧客データをダウンロードしていたことがわかりました。\nどのように調査を進めればよいでしょうか。',
    steps: [[4, 'reply', 'まずはアクセスログとダウンロード履歴を保全してください。対象データの範囲と件数を確認のうえ、弁護士への相談をお勧めします。在職中の貸与端末が残っていれば、初期化せずに保管してください。調査の進め方について、端末の状況をお知らせいただけますか。']] },
  { m: 'sa', age: 6, subject: '不審なメールの添付ファイルを開いてしまった', body: '取引先を装ったメールの添付ファイル（Excel）を開いてしまった社員がいます。\nマクロは有効にしていないとのことですが、確認すべき点を教えてください。',
    steps: [[2, 'reply', 'マクロを有効にしていなければ、感染の可能性は低いと考えられます。念のため、その端末でウイルス対策ソフトのフルスキャンを行い、EmoCheck でも確認してください。可能であれば、届いたメールを .eml 形式でお送りいただけますか。']] },
  { m: 'su', age: 5, subject: '開発環境のサーバーに不正アクセスの痕跡', body: '開発環境のサーバーで、見覚えのないユーザーの作成と、ウェブシェルらしきファイルが見つかりました。',
    steps: [[1, 'reply', 'サーバーを隔離し、ディスクイメージとログを保全してください。ウェブシェルのファイルは削除せずに保管し、ハッシュ値をお知らせください。本番環境と同じ認証情報を使っていないかもご確認ください。'], [2, 'note', '同一の webshell が他会員の事案でも見つかっているか確認中（高橋）。']] },
  { m: 'hi', age: 3, subject: 'Web サイトに不正なスクリプトが埋め込まれている', body: 'コーポレートサイトのトップページに、不正なスクリプトが埋め込まれていると外部の方から指摘がありました。',
    steps: [[2, 'reply', '改ざんされたファイルの更新日時と、その時間帯のサーバーのアクセスログを確認してください。サイトは一時的に公開を停止するか、改ざん前のバックアップに差し替えることをお勧めします。ファイルの内容をお送りいただけますか。']] },

  // ── Billing candidate: つばき's three consults this month ──
  { m: 'tu', age: 9, bill: true, subject: '社内で Emotet の感染が広がっている', body: '複数台の端末で EmoCheck が Emotet を検知しました。感染が広がっているようです。\n至急対応方法を教えてください。',
    steps: [[0.5, 'reply', '検知された端末をすべてネットワークから切り離してください。感染端末で使われていたメールアカウントのパスワードを変更し、取引先へ注意喚起を行ってください。感染拡大の経路を確認するため、最初に検知した端末の情報をお知らせください。'], [4, 'follow', '5台を切り離しました。最初の端末は営業部のものです。'], [6, 'reply', 'ありがとうございます。5台は初期化のうえ再構築をお勧めします。それまでの間、残りの端末でも EmoCheck を定期的に実行してください。'], [72, 'resolved']] },
  { m: 'tu', age: 4, bill: true, subject: '工場の PLC への不正アクセスの可能性', body: '工場の制御システムで、PLC の設定が変更されたログが残っていました。誰も変更していないとのことです。\n不正アクセスの可能性はありますか。',
    steps: [[3, 'reply', '制御ネットワークと情報系ネットワークの境界の通信ログと、保守用リモート接続の利用履歴を確認してください。保守ベンダーによる作業ではないかも確認をお願いします。結果をお知らせください。'], [4, 'note', 'OT 事案。必要なら外部の専門家を紹介。']] },
  { m: 'tu', age: 0.4, bill: true, subject: '取引先から不審なメールの通報がありました', body: '取引先から、当社のドメインを名乗る不審なメールが届いていると指摘を受けました。\n送信元は当社のサーバーではないようです。' },

  // ── Open: being worked on, or the member wrote again ──
  { m: 'sa', age: 1.8, subject: '海外拠点のサーバーからの情報流出の調査', body: '海外拠点のファイルサーバーから、設計図面が外部に流出している可能性があると現地から報告を受けました。\n調査の進め方について相談させてください。',
    steps: [[5, 'open'], [6, 'note', '現地とのやりとりは英語。ログの取得状況を確認中。回答案を作成中（中村）。']] },
  { m: 'mo', age: 1.2, subject: 'ATM 監視端末でウイルスを検知', body: 'ATM の監視端末でウイルス対策ソフトがマルウェアを検知しました。\n端末は隔離済みです。今後の対応について助言をお願いします。',
    steps: [[1, 'open'], [1.5, 'note', '検体のハッシュ値を会員に依頼予定。']] },
  { m: 'ao', age: 1.5, subject: '医療情報システムの VPN に不審なログイン', body: '保守用の VPN に、深夜帯に身に覚えのないログインが記録されていました。\nアカウントは保守ベンダー用のものです。',
    steps: [[2, 'open']] },
  { m: 'ka', age: 2, subject: 'DDoS 攻撃でサービスが停止', body: '本日午前から荷物追跡サイトに異常なトラフィックが続いており、サービスが停止しています。\n至急対応を相談させてください。',
    steps: [[0.3, 'reply', 'CDN 事業者の DDoS 緩和機能の有効化を依頼してください。攻撃元の国が偏っていれば、一時的な地域制限も有効です。現在の状況をお知らせください。'], [4, 'follow', '緩和機能を有効にしましたが、まだ断続的にアクセスしにくい状態です。追加でできることはありますか。']] },
  { m: 'wa', age: 0.8, subject: 'Re: 自社製品の脆弱性の公表時期について', body: '先日の件の続きです。報告者から、90日以内に公表したいとの連絡がありました。\n修正版の準備が間に合わない場合、どう交渉すればよいでしょうか。',
    steps: [[1, 'open']] },
  { m: 'hi', age: 0.9, subject: '退職者の PC から機密情報の流出疑い', body: '退職者の PC を調べたところ、個人のクラウドストレージへ大量のファイルをアップロードした形跡がありました。\n情報漏えいとして対応すべきでしょうか。',
    steps: [[0.5, 'open']] },

  // ── New: nobody has touched them yet ──
  { m: 'sa', age: 0.15, subject: '【至急】ファイルサーバーのファイルが開けません', body: '本日朝から、共有フォルダ内のファイルの拡張子が .locked に変わり開けなくなっています。\n各フォルダに README.txt が置かれており、身代金の支払いを要求されています。\n業務が止まっています。至急ご相談させてください。' },
  { m: 'mo', age: 0.3, subject: 'JPCERT/CC から当行の IP アドレスについて連絡', body: 'JPCERT/CC 様より、当行のグローバル IP アドレスから不審な通信が発生しているとの連絡を受けました。\n初動として何を確認すべきでしょうか。' },
  { m: 'ao', age: 0.6, subject: '職員のメールアカウントから大量の迷惑メール', body: '職員1名のメールアカウントから、深夜に数千通の迷惑メールが送信されていました。\nアカウントが乗っ取られたと思われます。' },
  { m: 'ka', age: 0.05, subject: 'セキュリティ研修の講師派遣について', body: '来期の新入社員研修で、情報セキュリティの講義をお願いできる講師を探しています。\n駆け込み寺で講師の紹介は可能でしょうか。' },

  // ── Breached: received long ago, nobody has answered yet ──
  { m: 'wa', age: 14, subject: 'ソフトウェアの脆弱性診断の結果の解釈', body: '外部に委託した脆弱性診断の報告書で「高」の指摘が3件ありました。\n修正の優先順位の付け方について助言をお願いします。',
    steps: [[26, 'note', '報告書の共有待ち。受領したら回答する。']] },

  // ── すずらん (suspended later): their earlier consults ──
  { m: 'su', age: 62, subject: '基幹システムのパスワードポリシーについて', body: '基幹システムのパスワードポリシーを見直しています。\n定期変更は必要ないという話を聞きましたが、本当でしょうか。',
    steps: [[6, 'reply', 'NIST のガイドラインでは、漏えいの兆候がない限り定期変更は求めない考え方が示されています。その代わり、十分な長さのパスワードと多要素認証、漏えいしたパスワードの利用禁止を組み合わせることが推奨されています。'], [40, 'resolved'], [230, 'closed']] },
  { m: 'tu', age: 60, subject: '不審なメールの見分け方の社内研修資料', body: '社内研修で使う、不審なメールの見分け方の資料を作っています。\n参考になる公開資料があれば教えてください。',
    steps: [[20, 'reply', 'IPA の「情報セキュリティ10大脅威」の解説資料や、フィッシング対策協議会の事例集が使いやすいです。実際に届いたメールを題材にすると、受講者の関心が高まります。'], [60, 'resolved'], [210, 'closed']] },
  { m: 'ao', age: 57, subject: 'クラウドストレージの公開設定ミス', body: 'クラウドストレージの共有リンクが「リンクを知っている全員」に設定され、内部資料が閲覧可能な状態になっていました。',
    steps: [[3, 'reply', '共有設定を直ちに変更し、アクセスログで外部からの閲覧があったかを確認してください。閲覧があった場合、資料に含まれる情報に応じて情報漏えいとしての対応が必要です。'], [30, 'resolved'], [200, 'closed']] },
  { m: 'wa', age: 54, subject: 'サプライチェーン攻撃への備え', body: '利用しているオープンソースのライブラリにバックドアが仕込まれていたという報道を見ました。\n当社としてどのように備えればよいでしょうか。',
    steps: [[10, 'reply', 'SBOM（ソフトウェア部品表）を整備し、利用しているライブラリとバージョンを把握することが第一歩です。依存関係の更新時には、変更内容とメンテナーの変化を確認する運用をお勧めします。'], [80, 'resolved'], [190, 'closed']] },
  { m: 'ka', age: 53, subject: 'インシデント対応訓練のシナリオ', body: '年1回のインシデント対応訓練を計画しています。\nランサムウェアを題材にしたシナリオ例があれば教えてください。',
    steps: [[30, 'reply', '「金曜夕方にファイルサーバーが暗号化された」という想定で、初動・経営判断・対外公表までを机上で進めるシナリオがお勧めです。ひな形をお送りします。'], [90, 'resolved'], [185, 'closed']] },
  { m: 'mo', age: 44, subject: 'スマートフォンの紛失時の対応', body: '役員が業務用スマートフォンを紛失しました。MDM には登録済みです。',
    steps: [[1, 'reply', 'MDM から直ちに端末のロックとリモートワイプを実行してください。端末に保存されていたアカウントのセッションを無効化し、警察に遺失届を出してください。'], [20, 'resolved'], [160, 'closed']] },
  { m: 'sa', age: 32, subject: 'EDR 製品の選定について', body: 'EDR 製品の導入を検討しています。\n中小規模の組織で運用しやすい製品選びのポイントはありますか。',
    steps: [[200, 'reply', '自社で監視要員を確保できない場合は、MDR（監視サービス）付きの製品を選ぶのが現実的です。検知時の対応（隔離・通知）をどこまで自動化できるかも比較のポイントです。'], [220, 'resolved'], [300, 'closed']] },
  { m: 'su', age: 30, subject: 'POS 端末のマルウェア対策', body: '店舗の POS 端末のマルウェア対策について相談させてください。\n端末はインターネットに接続していません。',
    steps: [[5, 'reply', 'インターネット非接続でも、保守用の USB メモリ経由で感染する例があります。アプリケーションの許可リスト方式の導入と、保守作業時の媒体の管理をお勧めします。'], [50, 'resolved'], [150, 'closed']] },
  { m: 'hi', age: 24, subject: '情報セキュリティ基本方針の改定', body: '情報セキュリティ基本方針を5年ぶりに改定します。\n最近の改定で追加されることが多い項目を教えてください。',
    steps: [[72, 'reply', 'クラウドサービスの利用、テレワーク、サプライチェーン（委託先管理）、インシデント発生時の報告義務に関する項目を追加される組織が多いです。'], [150, 'resolved']] },
  { m: 'ao', age: 20, subject: 'ランサムウェア被害に備えた BCP の見直し', body: '電子カルテが使えなくなった場合の業務継続計画を見直しています。\nランサムウェア被害を想定した場合の注意点を教えてください。',
    steps: [[8, 'reply', '紙運用への切り替え手順と、復旧までに必要な日数の見積もりを現実的に行うことが重要です。オフラインのバックアップから復元する訓練もお勧めします。'], [100, 'resolved']] },
];

/** A member's mail as it arrives by SMTP (UTF-8, base64 body, the member's signature). */
function memberMail(member: DemoMember, subject: string, body: string, messageId: string, inReplyTo?: string): Buffer {
  const text = `${body}\n\nよろしくお願いいたします。\n\n--\n${member.company} ${member.department}\n${member.contact}\nTEL: ${member.phone}\n`;
  return Buffer.from([
    `From: ${member.email}`, 'To: kakekomi@helpdesk.test', `Subject: =?UTF-8?B?${Buffer.from(subject).toString('base64')}?=`,
    `Message-ID: ${messageId}`, ...(inReplyTo ? [`In-Reply-To: ${inReplyTo}`, `References: ${inReplyTo}`] : []),
    'MIME-Version: 1.0', 'Content-Type: text/plain; charset=UTF-8', 'Content-Transfer-Encoding: base64', '',
    Buffer.from(text).toString('base64').replace(/.{76}/g, '$&\r\n'), '',
  ].join('\r\n'));
}

/** The first instant of the current Japan month. */
function japanMonthStart(now: Date): number {
  const jst = new Date(now.getTime() + 9 * HOUR);
  return Date.UTC(jst.getUTCFullYear(), jst.getUTCMonth(), 1) - 9 * HOUR;
}

/**
 * When each consult's first mail arrives. Ages count back from now; then the month is arranged so
 * that this month つばき has exactly the three consults marked `bill` and every other member at most
 * two (their older ones move back into the previous month).
 */
function receiptTimes(now: Date): number[] {
  const monthStart = japanMonthStart(now);
  // Older mail arrives on a weekday during office hours (Japan time), as most of it does.
  const officeHours = (t: number, i: number) => {
    const jst = new Date(t + 9 * HOUR);
    const back = jst.getUTCDay() === 6 ? 1 : jst.getUTCDay() === 0 ? 2 : 0;
    const midnight = Date.UTC(jst.getUTCFullYear(), jst.getUTCMonth(), jst.getUTCDate() - back) - 9 * HOUR;
    return midnight + 9 * HOUR + ((i * 53) % 480) * 60_000;
  };
  const times = CONSULTS.map((c, i) => (c.age >= 2 ? officeHours(now.getTime() - c.age * DAY, i) : now.getTime() - c.age * DAY));
  const billed = CONSULTS.map((c, i) => (c.bill ? i : -1)).filter((i) => i >= 0);
  billed.forEach((i, k) => {
    // Early in a month the three squeeze in after its start, in order.
    if (times[i] < monthStart) times[i] = monthStart + ((k + 1) * (now.getTime() - monthStart)) / (billed.length + 2);
  });
  for (const key of Object.keys(MEMBERS)) {
    const inMonth = CONSULTS.map((c, i) => i).filter((i) => CONSULTS[i].m === key && !CONSULTS[i].bill && times[i] >= monthStart)
      .sort((a, b) => times[b] - times[a]);
    const allowed = key === 'tu' ? 0 : 2;
    inMonth.slice(allowed).forEach((i) => { times[i] = officeHours(monthStart - DAY - CONSULTS[i].age * 0.25 * DAY, i); });
  }
  return times;
}

interface Event { at: number; consult: number; step: number }

/** `npm run demo`: sample members, staff and consults for a first look. */
export async function seedDemo(ctx: INestApplicationContext, _args: string[], _options: Record<string, string | true>, io: CliIo): Promise<void> {
  const staff = ctx.get(StaffService);
  const dataSource = ctx.get(DataSource);
  const already = await dataSource.getRepository(Message).count({ where: { messageIdHeader: Like(`<${MARK}-%`) } });
  if (already > 0) {
    io.out('demo data ready (already seeded: nothing added this time).');
    printSignIn(io, managerNeedsTotp(ctx));
    return;
  }

  await ctx.get(MemberImportService).importCsv(Buffer.from(membersCsv(ctx.get(Clock).now()), 'utf8'));
  // Between them the experts cover every category; one is away next week (shown on /experts).
  const users = new Map<string, StaffUser>();
  for (const { capacity, ...account } of EXPERTS) {
    let user = await staff.findByEmail(account.email);
    if (!user) {
      user = await staff.create({ ...account, password: PASSWORD });
      if (account.role === 'expert') user = await staff.updateProfile(user.id, { capacity });
    }
    users.set(account.email, user);
  }
  const away = users.get('expert2@helpdesk.test')!;
  const absences = ctx.get(AbsenceService);
  if ((await absences.current([away.id])).length === 0) {
    const day = (offset: number) => japanDateOf(new Date(Date.now() + offset * DAY));
    await absences.add(away.id, day(7), day(11), '出張（デモ）');
  }
  const manager = users.get('manager@helpdesk.test')!;
  const experts = [...users.values()].filter((u) => u.role === 'expert');

  const lazy = ctx.get(LazyModuleLoader);
  const [kb, sla] = await Promise.all([lazy.load(() => KnowledgeBaseModule), lazy.load(() => SlaModule)]);
  const intake = ctx.get(IntakeService);
  const consults = ctx.get(ConsultsService);

  // Replay the history at its own times: the clock every service reads is set to each moment.
  const clock = ctx.get(Clock);
  const realNow = clock.now();
  const receipts = receiptTimes(realNow);
  const events: Event[] = [];
  CONSULTS.forEach((c, i) => {
    const steps = c.steps ?? [];
    events.push({ at: receipts[i], consult: i, step: -1 });
    let last = receipts[i];
    steps.forEach(([hours], s) => {
      // Nothing happens in the future: a recent consult's steps squeeze in before now.
      let at = Math.min(receipts[i] + hours * HOUR, realNow.getTime() - (steps.length - s) * 60_000);
      at = Math.max(at, last + 1000);
      events.push({ at, consult: i, step: s });
      last = at;
    });
  });
  events.sort((a, b) => a.at - b.at || a.consult - b.consult || a.step - b.step);

  const numbers = new Map<number, number>();
  const lastReply = new Map<number, Message>();
  let mailSeq = 0;
  const author = async (number: number): Promise<StaffUser> => {
    const consult = await consults.get(number);
    return experts.find((e) => e.id === consult.assigneeId)
      ?? experts.find((e) => e.skills.split(',').includes(consult.category)) ?? experts[0];
  };
  const originalNow = clock.now;
  try {
    for (const event of events) {
      const at = new Date(event.at);
      clock.now = () => at;
      const spec = CONSULTS[event.consult];
      const member = MEMBERS[spec.m];
      if (event.step === -1) {
        const outcome = await intake.accept(memberMail(member, spec.subject, spec.body, `<${MARK}-${++mailSeq}@${member.email.split('@')[1]}>`), member.email, at);
        if (outcome.kind !== 'consult_opened') throw new Error(`demo: ${spec.subject}: ${outcome.kind}`);
        numbers.set(event.consult, outcome.consultNumber);
        continue;
      }
      const number = numbers.get(event.consult)!;
      const [, kind, text = ''] = spec.steps![event.step];
      if (kind === 'reply') {
        lastReply.set(event.consult, await consults.reply(number, await author(number), text, 'waiting_member'));
      } else if (kind === 'follow') {
        const reply = lastReply.get(event.consult)!;
        await intake.accept(memberMail(member, `Re: ${reply.subject}`, text, `<${MARK}-${++mailSeq}@${member.email.split('@')[1]}>`, reply.messageIdHeader ?? undefined), member.email, at);
      } else if (kind === 'note') {
        await consults.addNote(number, await author(number), text);
      } else {
        await consults.update(number, { status: kind }, await author(number));
      }
    }

    // すずらん's contract is suspended now; a mail from them today is held, not opened.
    const suspendAt = new Date(realNow.getTime() - 2 * HOUR);
    clock.now = () => suspendAt;
    await ctx.get(MemberImportService).importCsv(Buffer.from(membersCsv(realNow, ['su']), 'utf8'));
    const heldAt = new Date(realNow.getTime() - HOUR);
    clock.now = () => heldAt;
    await intake.accept(memberMail(MEMBERS.su, '契約更新前ですが相談させてください', '取引先から、当社を装ったフィッシングメールが出回っていると連絡がありました。\n契約の更新手続き中ですが、ご相談可能でしょうか。', `<${MARK}-${++mailSeq}@suzuran-demo.example.jp>`), MEMBERS.su.email, heldAt);
  } finally {
    clock.now = originalNow;
  }

  // A few answers become published FAQ entries (anonymised by the promotion, published by the manager).
  const promotion = kb.get(FaqPromotionService, { strict: false });
  const workflow = kb.get(FaqWorkflowService, { strict: false });
  let published = 0;
  for (const [i, spec] of CONSULTS.entries()) {
    if (!spec.faq) continue;
    const draft = await promotion.promote(numbers.get(i)!, manager);
    try {
      await workflow.publish(draft.id, manager);
      published++;
    } catch (err) {
      io.warn(`demo: FAQ draft #${draft.id} left as a draft: ${err instanceof Error ? err.message : String(err)}`);
    }
  }

  // States as of now: the consult nobody answered in time shows as breached.
  await sla.get(SlaSweepService, { strict: false }).sweep(realNow);

  const counts = await dataSource.query('SELECT status, COUNT(*) AS n FROM consults GROUP BY status') as { status: string; n: number | string }[];
  const byStatus = counts.map((r) => `${r.status} ${Number(r.n)}`).join(', ');
  io.out(`demo data ready: ${Object.keys(MEMBERS).length} members (1 suspended), ${EXPERTS.length - 1} experts and a manager, ${CONSULTS.length} consults (${byStatus}), ${published} published FAQ entries.`);
  io.out(`デモデータを作成しました: 会員 ${Object.keys(MEMBERS).length} 社（うち契約中断 1 社）、専門家 ${EXPERTS.length - 1} 名とマネージャー 1 名、相談 ${CONSULTS.length} 件、公開FAQ ${published} 件。`);
  printSignIn(io, managerNeedsTotp(ctx));
}

/** Whether a manager is asked to enrol a second factor at the first sign-in (TOTP_REQUIRED_ROLES). */
function managerNeedsTotp(ctx: INestApplicationContext): boolean {
  const roles = (ctx.get(AppConfig) as unknown as { totpRequiredRoles?: unknown }).totpRequiredRoles;
  return Array.isArray(roles) && roles.includes('manager');
}

function printSignIn(io: CliIo, totp: boolean): void {
  const url = `${(process.env.CONSOLE_URL || `http://${process.env.HTTP_HOST || '127.0.0.1'}:${process.env.HTTP_PORT || '3000'}`).replace(/\/+$/, '')}/login`;
  const accounts = EXPERTS.map((a) => `  ${a.email}  (${a.role === 'manager' ? 'マネージャー / manager' : `専門家 / expert: ${a.name}`})`);
  io.out('');
  io.out(`サインイン: npm start の後、${url} を開き、次のいずれかのアカウントとパスワード「${PASSWORD}」でログインしてください。`);
  io.out(`Sign in: after npm start, open ${url} and use one of these accounts with the password "${PASSWORD}":`);
  for (const line of accounts) io.out(line);
  if (totp) {
    io.out('マネージャーは初回ログイン時に二要素認証（認証アプリの確認コード）の設定を求められます。');
    io.out('The manager is asked to set up a second factor (an authenticator app code) at the first sign-in (TOTP_REQUIRED_ROLES).');
  }
}
