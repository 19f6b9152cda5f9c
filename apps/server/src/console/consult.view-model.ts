import {
  CATEGORIES, CATEGORY_LABELS, Category, Consult, ConsultEvent, CONSULT_STATUSES, ConsultStatus, Message, PRIORITIES, PRIORITY_LABELS, Priority, STATUS_LABELS,
} from '@kkd/consults';
import type { TriageMatch } from '@kkd/triage';
import { FieldErrors } from './form-validation.util';
import { splitQuotedText } from '@kkd/inbox';
import { formatBytes, OutboundAttachment, OutboundMail } from '@kkd/mail';
import { memberDisplayName } from '@kkd/membership';
import { StaffRole, StaffUser } from '@kkd/staff';

const IDENTITY_HEADERS = /^(from|to|cc|bcc|reply-to|sender|return-path|received|x-originating-ip|x-sender|delivered-to|x-envelope-from|dkim-signature|authentication-results):/i;

/**
 * Experts never see a member's identity: in a raw source, header lines that carry addresses or
 * hosts are blanked. Managers and admins see the source as received.
 */
export function rawForViewer(raw: string, viewer: StaffUser): string {
  if (viewer.role !== 'expert') return raw;
  const split = raw.search(/\r?\n\r?\n/);
  const head = split === -1 ? raw : raw.slice(0, split);
  const body = split === -1 ? '' : raw.slice(split);
  const lines = head.split(/\r?\n/);
  let hiding = false;
  const kept = lines.map((line) => {
    if (/^[ \t]/.test(line)) return hiding ? null : line;
    hiding = IDENTITY_HEADERS.test(line);
    return hiding ? `${line.slice(0, line.indexOf(':') + 1)} (非表示)` : line;
  });
  return kept.filter((l) => l !== null).join('\n') + body;
}

export function queueItem(c: Consult, slaState: string, remaining: string | null, usage?: { billingCandidate: boolean }) {
  return {
    number: c.number, subject: c.subject, status: c.status, member: memberDisplayName(c.member), category: c.category, priority: c.priority,
    assignee: c.assignee?.name ?? null, receivedAt: c.receivedAt, dueAt: c.dueAt, slaState, remaining, billingCandidate: usage?.billingCandidate ?? false,
  };
}

export function statusOptions(current: ConsultStatus) {
  return CONSULT_STATUSES.filter((s) => s !== 'new' || current === 'new').map((s) => ({ value: s, label: STATUS_LABELS[s], selected: s === current }));
}

export function threadItem(m: Message, raw: string | null) {
  // A member's mail shows what they wrote now; the quoted history is folded, never dropped.
  const { fresh, quoted } = m.direction === 'inbound' ? splitQuotedText(m.text) : { fresh: m.text, quoted: '' };
  return {
    fresh, quoted,
    id: m.id, direction: m.direction, isInbound: m.direction === 'inbound', isOutbound: m.direction === 'outbound', isNote: m.direction === 'note',
    author: m.author?.name ?? null, occurredAt: m.occurredAt, subject: m.subject, text: m.text, html: m.html, parseError: m.parseError, raw,
    attachments: (m.attachments ?? []).map((a) => ({ id: a.id, filename: a.filename, size: a.size, encrypted: a.encrypted })),
  };
}

/**
 * One mail sent for the consult: to whom, when, its files and its delivery state. Mail to the member
 * names the member by nickname + club ID; the address is shown to managers and admins only.
 * Consult notices go to staff, whose addresses are not member data.
 */
export function outboundItem(o: OutboundMail, files: OutboundAttachment[], member: { nickname: string; clubId: string }, viewer: StaffRole) {
  const toMember = o.kind !== 'notice';
  return {
    kind: o.kind, status: o.status, subject: o.subject, createdAt: o.createdAt, sentAt: o.sentAt, attempts: o.attempts,
    recipient: toMember ? `会員 ${memberDisplayName(member)}` : `スタッフ ${o.toAddress}`,
    recipientAddress: toMember && viewer !== 'expert' ? o.toAddress : null,
    attachments: files.map((f) => ({ filename: f.filename, size: formatBytes(f.size) })),
  };
}

/** The consult page's forms after a failed post: errors per field and what was typed. */
export interface ConsultForms {
  replyErrors?: FieldErrors;
  replyBody?: string;
  replyConflict?: boolean;
  /** Canned replies inserted into the draft (ids, comma-separated): each counts as used once the reply is sent. */
  replyTemplateIds?: string;
  /** The status chosen for after sending, kept with the draft. */
  replyStatus?: ConsultStatus;
  /** The mail as the member will receive it (「プレビュー」): nothing is sent. */
  replyPreview?: { subject: string; text: string };
  /** Said after a canned reply was inserted. */
  replyNotice?: string;
  noteErrors?: FieldErrors;
  noteBody?: string;
  statusErrors?: FieldErrors;
  classifyErrors?: FieldErrors;
  assignErrors?: FieldErrors;
  assignReason?: string;
  /** The new assignee chosen in a refused reassignment form (rule, none or a staff email). */
  assignChoice?: string;
  mergeErrors?: FieldErrors;
}

/** One of the member's earlier consults: number, subject, date, category and status; never identity. */
export function historyItem(c: Pick<Consult, 'number' | 'subject' | 'receivedAt' | 'category' | 'status'>) {
  return { number: c.number, subject: c.subject, receivedAt: c.receivedAt, category: c.category, status: c.status };
}

export function timelineItem(e: ConsultEvent) {
  return { kind: e.kind, summary: e.summary, occurredAt: e.occurredAt, actor: e.actor?.name ?? null };
}

/** Why triage chose the category and priority, as stored with the consult. */
export function triageMatchItems(json: string | null) {
  const matches: TriageMatch[] = json ? JSON.parse(json) : [];
  return matches.map((m) => ({
    term: m.term, where: m.field === 'subject' ? '件名' : '本文', score: m.field === 'subject' ? m.weight * 2 : m.weight,
    target: [m.category ? CATEGORY_LABELS[m.category] : null, m.priority ? `優先度 ${PRIORITY_LABELS[m.priority]}` : null].filter(Boolean).join('・'),
  }));
}

export function categoryOptions(current: Category) {
  return CATEGORIES.map((c) => ({ value: c, label: CATEGORY_LABELS[c], selected: c === current }));
}

export function priorityOptions(current: Priority) {
  return PRIORITIES.map((p) => ({ value: p, label: PRIORITY_LABELS[p], selected: p === current }));
}
