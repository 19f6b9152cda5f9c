import { Consult, CONSULT_STATUSES, ConsultStatus, Message, STATUS_LABELS } from '@kkd/consults';
import { splitQuotedText } from '@kkd/inbox';
import { OutboundMail } from '@kkd/mail';
import { memberDisplayName } from '@kkd/membership';
import { StaffUser } from '@kkd/staff';

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

export function queueItem(c: Consult, slaState: string, remaining: string | null) {
  return {
    number: c.number, subject: c.subject, status: c.status, member: memberDisplayName(c.member),
    assignee: c.assignee?.name ?? null, receivedAt: c.receivedAt, dueAt: c.dueAt, slaState, remaining,
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

export function outboundItem(o: OutboundMail) {
  return { kind: o.kind, status: o.status, subject: o.subject, createdAt: o.createdAt, sentAt: o.sentAt, attempts: o.attempts };
}
