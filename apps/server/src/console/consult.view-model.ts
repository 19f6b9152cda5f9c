import {
  CATEGORIES, CATEGORY_LABELS, Category, Consult, ConsultEvent, CONSULT_STATUSES, ConsultStatus, Message, PRIORITIES, PRIORITY_LABELS, Priority, SlaState, STATUS_LABELS,
} from '@kkd/consults';
import type { TriageMatch } from '@kkd/triage';
import { FieldErrors } from './form-validation.util';
import { splitQuotedText } from '@kkd/inbox';
import { formatBytes, OutboundAttachment, OutboundMail, OutboxService } from '@kkd/mail';
import { maskFileName, memberDisplayName } from '@kkd/membership';
import { slaBadge } from '@kkd/sla';
import { seesIdentity, StaffRole, StaffUser } from '@kkd/staff';

const IDENTITY_HEADERS = /^(from|to|cc|bcc|reply-to|sender|return-path|received|x-originating-ip|x-sender|delivered-to|x-envelope-from|dkim-signature|authentication-results):/i;

/** Hides the member's identity in a text an expert reads (IdentityMaskService.maskerFor); none for managers and admins. */
export type TextMask = (text: string) => string;

/**
 * Experts never see a member's identity: in a raw source, header lines that carry addresses or
 * hosts are blanked, and the rest goes through the member's mask (a base64 or quoted-printable
 * body stays encoded). Managers and admins see the source as received.
 */
export function rawForViewer(raw: string, viewer: StaffUser, mask: TextMask | null = null): string {
  if (seesIdentity(viewer)) return raw;
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
  const shown = kept.filter((l) => l !== null).join('\n') + body;
  return mask ? mask(shown) : shown;
}

/** `mask`: the member's masker for an expert (their identity hidden in the subject), null for managers. */
export function queueItem(c: Consult, slaState: SlaState, remaining: string | null, usage?: { billingCandidate: boolean }, mask: ((text: string) => string) | null = null) {
  return {
    number: c.number, subject: mask ? mask(c.subject) : c.subject, status: c.status, member: memberDisplayName(c.member), category: c.category, priority: c.priority,
    assignee: c.assignee?.name ?? null, receivedAt: c.receivedAt, dueAt: c.dueAt, slaState, sla: slaBadge(slaState, c), remaining, billingCandidate: usage?.billingCandidate ?? false,
  };
}

export function statusOptions(current: ConsultStatus) {
  return CONSULT_STATUSES.filter((s) => s !== 'new' || current === 'new').map((s) => ({ value: s, label: STATUS_LABELS[s], selected: s === current }));
}

const ENTITY = /&(?:#(\d+)|#x([0-9a-f]+)|(amp|lt|gt|quot|apos|nbsp));/gi;
const NAMED: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", nbsp: '\u00a0' };
const decodeEntities = (text: string) => text.replace(ENTITY, (all, dec: string | undefined, hex: string | undefined, name: string | undefined) => {
  const code = dec ? Number(dec) : hex ? parseInt(hex, 16) : null;
  if (code === null) return NAMED[name!.toLowerCase()] ?? all;
  return code > 0 && code <= 0x10ffff ? String.fromCodePoint(code) : all;
});
const escapeText = (text: string) => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
const ATTRIBUTE = /(\s[a-z-]+=")([^"]*)(")/gi;

/**
 * A member's sanitised HTML mail with the member's identity masked: its text (read as one text,
 * a line per text node, so that a signature split over <p> and <br> is still a signature) and its
 * attribute values (a mailto: or a link to the member's site). The markup stays as it was.
 */
export function maskMailHtml(html: string, mask: TextMask): string {
  const parts = html.split(/(<[^>]*>)/);
  const texts = parts.filter((_p, i) => i % 2 === 0).map((t) => decodeEntities(t).replace(/\r\n?/g, '\n'));
  const masked = mask(texts.join('\n')).split('\n');
  const lineCounts = texts.map((t) => t.split('\n').length);
  // Masking never adds or removes a line; should it ever, each text node is masked on its own.
  const aligned = masked.length === lineCounts.reduce((a, b) => a + b, 0);
  let at = 0;
  return parts.map((part, i) => {
    if (i % 2 === 1) return part.replace(ATTRIBUTE, (_all, head: string, value: string, tail: string) => `${head}${escapeText(mask(decodeEntities(value))).replace(/"/g, '&quot;')}${tail}`);
    const k = i / 2;
    if (!aligned) return escapeText(mask(texts[k]));
    const text = masked.slice(at, at + lineCounts[k]).join('\n');
    at += lineCounts[k];
    return escapeText(text);
  }).join('');
}

export function threadItem(m: Message, raw: string | null, mask: TextMask | null = null) {
  // A member's mail shows what they wrote now; the quoted history is folded, never dropped.
  const { fresh, quoted } = m.direction === 'inbound' ? splitQuotedText(m.text) : { fresh: m.text, quoted: '' };
  // Experts read every message masked (a reply or note may quote the member too), the HTML view and the file names too.
  const shown = mask ?? ((text: string) => text);
  return {
    fresh: shown(fresh), quoted: quoted && shown(quoted),
    id: m.id, direction: m.direction, isInbound: m.direction === 'inbound', isOutbound: m.direction === 'outbound', isNote: m.direction === 'note',
    author: m.author?.name ?? null, occurredAt: m.occurredAt, subject: shown(m.subject), html: mask && m.html ? maskMailHtml(m.html, mask) : m.html,
    parseError: m.parseError, raw, rawDeleted: !!m.rawDeletedAt,
    attachments: (m.attachments ?? []).map((a) => ({ id: a.id, filename: maskFileName(a.filename, mask), size: a.size, encrypted: a.encrypted, deleted: !!a.deletedAt })),
  };
}

/**
 * One mail sent for the consult: to whom, when, its files and its delivery state. Mail to the member
 * names the member by nickname + club ID; the address is shown to managers and admins only.
 * Consult notices go to staff, whose addresses are not member data.
 */
export function outboundItem(
  o: OutboundMail, files: OutboundAttachment[], member: { nickname: string; clubId: string }, viewer: StaffRole, mask: TextMask | null = null,
) {
  const toMember = o.kind !== 'notice';
  return {
    kind: o.kind, status: o.status, subject: mask ? mask(o.subject) : o.subject, createdAt: o.createdAt, sentAt: o.sentAt, attempts: o.attempts,
    recipient: toMember ? `会員 ${memberDisplayName(member)}` : `スタッフ ${o.toAddress}`,
    recipientAddress: toMember && viewer !== 'expert' ? o.toAddress : null,
    attachments: files.map((f) => ({ filename: maskFileName(f.filename, mask), size: formatBytes(f.size) })),
    failure: failureReason(o, toMember && viewer === 'expert', mask),
  };
}

/**
 * Why a failed mail was not sent, shown beside 「送信失敗」: the relay's reply, which may quote the
 * recipient, so an expert reads it masked and with no address in it.
 */
function failureReason(o: OutboundMail, hideAddresses: boolean, mask: TextMask | null): string | null {
  if (o.status !== 'failed' || !o.lastError) return null;
  const refusal = OutboxService.refusalOf(o);
  let reason = refusal === null ? `${o.attempts}回試みて送れませんでした: ${o.lastError}` : `宛先が受け付けませんでした: ${refusal}`;
  if (mask) reason = mask(reason);
  return hideAddresses ? reason.replace(/[^\s<>@"]+@[^\s<>@"]+/g, '〔宛先〕') : reason;
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
export function historyItem(c: Pick<Consult, 'number' | 'subject' | 'receivedAt' | 'category' | 'status'>, mask: TextMask | null = null) {
  return { number: c.number, subject: mask ? mask(c.subject) : c.subject, receivedAt: c.receivedAt, category: c.category, status: c.status };
}

/** One timeline event; for an expert its summary masked too (a manager's reason may name the member's contact). */
export function timelineItem(e: ConsultEvent, mask: TextMask | null = null) {
  return { kind: e.kind, summary: mask ? mask(e.summary) : e.summary, occurredAt: e.occurredAt, actor: e.actor?.name ?? null };
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
