import { AuditEntry, auditActionLabel } from '@kkd/audit';
import { ContractEvent, contractStateOn, Member, MEMBER_STATUSES, memberDisplayName, MemberStatus } from '@kkd/membership';

export const MEMBER_STATUS_LABELS: Record<MemberStatus, string> = { active: '有効', suspended: '中断', cancelled: '解約', expired: '期間満了' };
const EVENT_LABELS: Record<ContractEvent['kind'], string> = { suspend: '中断', resume: '再開', cancel: '解約', expire: '期間満了', term: '契約期間の変更' };

/**
 * The members list row: nickname, club ID, state and term; no identity field. The state is the
 * contract's on `today` (a Japan date) as intake treats the member's mail: an active member whose
 * term has not begun reads 契約開始前, one whose term is over 期間満了 before the sweep records it.
 */
export function memberRow(m: Member, pendingCancellation: string | null, today: string) {
  const state = contractStateOn(m, today);
  return {
    id: m.id, clubId: m.clubId, nickname: m.nickname, status: m.status, state,
    statusLabel: state === 'not_started' ? `契約開始前（${m.contractStart} 開始）` : MEMBER_STATUS_LABELS[state],
    contractStart: m.contractStart, contractEnd: m.contractEnd, pendingCancellation,
  };
}

export function statusFilterOptions(current: string | undefined) {
  return MEMBER_STATUSES.map((s) => ({ value: s, label: MEMBER_STATUS_LABELS[s], selected: s === current }));
}

/** The member page (managers and admins): identity included, every view audited by the controller. */
export function memberPage(m: Member, history: ContractEvent[], pending: ContractEvent | null, actorNames: Map<number, string>, today: string) {
  return {
    member: {
      ...memberRow(m, pending?.effectiveOn ?? null, today), displayName: memberDisplayName(m), company: m.company, department: m.department,
      contactName: m.contactName, phone: m.phone, postalCode: m.postalCode, address: m.address, emails: (m.emails ?? []).map((e) => e.address),
      canSuspend: m.status === 'active', canResume: m.status === 'suspended' || m.status === 'expired',
      canCancel: m.status !== 'cancelled', canNotice: m.status !== 'cancelled' && !pending,
    },
    pending: pending ? { noticeOn: pending.noticeOn, requestedOn: pending.requestedOn, effectiveOn: pending.effectiveOn, reason: pending.reason } : null,
    history: history.map((e) => ({
      kind: EVENT_LABELS[e.kind] ?? e.kind, effectiveOn: e.effectiveOn, reason: e.reason, createdAt: e.createdAt,
      change: e.fromStatus && e.toStatus ? `${MEMBER_STATUS_LABELS[e.fromStatus]} → ${MEMBER_STATUS_LABELS[e.toStatus]}` : '',
      notice: e.noticeOn ? `申出 ${e.noticeOn}${e.requestedOn ? `・希望日 ${e.requestedOn}` : ''}` : '',
      pending: e.kind === 'cancel' && !e.appliedAt,
      actor: e.actorId === null ? 'システム' : actorNames.get(e.actorId) ?? `#${e.actorId}`,
    })),
  };
}

/** The edit form's values: as stored, or as typed when the form comes back with errors. */
export interface MemberFormValues {
  nickname: string; company: string; department: string; contact_name: string; phone: string; postal_code: string; address: string;
  emails: string; contract_start: string; contract_end: string;
}

export function memberFormValues(m: Member): MemberFormValues {
  return {
    nickname: m.nickname, company: m.company, department: m.department ?? '', contact_name: m.contactName ?? '', phone: m.phone ?? '',
    postal_code: m.postalCode ?? '', address: m.address ?? '', emails: (m.emails ?? []).map((e) => e.address).join('\n'),
    contract_start: m.contractStart, contract_end: m.contractEnd,
  };
}

export function typedFormValues(body: Record<string, unknown>): MemberFormValues {
  const text = (key: string) => (typeof body[key] === 'string' ? (body[key] as string) : '');
  return {
    nickname: text('nickname'), company: text('company'), department: text('department'), contact_name: text('contact_name'), phone: text('phone'),
    postal_code: text('postal_code'), address: text('address'), emails: text('emails'), contract_start: text('contract_start'), contract_end: text('contract_end'),
  };
}

/** One audit line; details shown as written (they hold field names and dates, not identity values). */
export function auditRow(e: AuditEntry) {
  return {
    // A refused sign-in has no actor: someone not signed in, not the system.
    at: e.at, actor: e.actorEmail ?? (e.action.startsWith('staff.login_') ? '（未ログイン）' : 'システム'), action: e.action, actionLabel: auditActionLabel(e.action),
    target: e.targetLabel ?? (e.targetId ? `${e.targetType}#${e.targetId}` : e.targetType), targetLink: e.targetType === 'member' && e.targetId ? `/members/${e.targetId}` : null,
    details: e.details ? describeDetails(JSON.parse(e.details) as Record<string, unknown>) : '',
  };
}

function describeDetails(details: Record<string, unknown>): string {
  return Object.entries(details).map(([k, v]) => `${k}: ${typeof v === 'string' ? v : JSON.stringify(v)}`).join('、');
}
