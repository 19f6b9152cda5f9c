/** Consult vocabularies (INTERFACES.md): codes in the API and CLI, Japanese in the console. */
export const CONSULT_STATUSES = ['new', 'open', 'waiting_member', 'resolved', 'closed'] as const;
export type ConsultStatus = (typeof CONSULT_STATUSES)[number];
export const STATUS_LABELS: Record<ConsultStatus, string> = {
  new: '新規', open: '対応中', waiting_member: '会員の返答待ち', resolved: '解決済み', closed: '完了',
};

export const PRIORITIES = ['urgent', 'high', 'normal', 'low'] as const;
export type Priority = (typeof PRIORITIES)[number];
export const PRIORITY_LABELS: Record<Priority, string> = { urgent: '緊急', high: '高', normal: '通常', low: '低' };

export const CATEGORIES = [
  'ransomware', 'malware', 'phishing', 'unauthorized_access', 'data_leak', 'ddos', 'defacement', 'vulnerability',
  'external_report', 'account_compromise', 'general',
] as const;
export type Category = (typeof CATEGORIES)[number];
export const CATEGORY_LABELS: Record<Category, string> = {
  ransomware: 'ランサムウェア', malware: 'マルウェア感染', phishing: '標的型メール/フィッシング',
  unauthorized_access: '不正アクセス', data_leak: '情報漏えい', ddos: 'DDoS', defacement: 'Web改ざん',
  vulnerability: '脆弱性', external_report: '外部機関からの通報', account_compromise: 'アカウント侵害', general: '一般相談',
};

export const SLA_STATES = ['on_track', 'at_risk', 'breached', 'met', 'met_late'] as const;
export type SlaState = (typeof SLA_STATES)[number];
export const SLA_LABELS: Record<SlaState, string> = {
  on_track: '期限内', at_risk: '期限間近', breached: '期限超過', met: '期限内に回答', met_late: '期限後に回答',
};

export type MessageDirection = 'inbound' | 'outbound' | 'note';

/** Who set a consult's category or priority: triage rules or a staff member's override. */
export type ValueSource = 'triage' | 'staff';

/** Statuses in which a consult still needs work (it counts towards its expert's load). */
export const OPEN_STATUSES: readonly ConsultStatus[] = ['new', 'open', 'waiting_member'];

export const CONSULT_EVENT_KINDS = ['triaged', 'status_changed', 'category_changed', 'priority_changed', 'assigned', 'unassigned', 'merged', 'merged_from'] as const;
export type ConsultEventKind = (typeof CONSULT_EVENT_KINDS)[number];
