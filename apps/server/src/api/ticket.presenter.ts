import { Consult, ConsultHighlight, Message, SlaState } from '@kkd/consults';
import { toJstIso } from '@kkd/core';
import { OutboundMail } from '@kkd/mail';
import { maskFileName, memberDisplayName } from '@kkd/membership';
import { seesIdentity, StaffUser } from '@kkd/staff';

const iso = (d: Date | null) => (d ? toJstIso(d) : null);

function member(c: Consult, viewer: StaffUser) {
  const base = { displayName: memberDisplayName(c.member), clubId: c.member.clubId, nickname: c.member.nickname };
  return seesIdentity(viewer)
    ? { ...base, company: c.member.company, contactName: c.member.contactName, email: c.replyAddress }
    : base;
}

/** `mask`: the member's masker for an expert (their identity hidden in the subject), null for managers. */
export function ticketSummary(c: Consult, slaState: SlaState, viewer: StaffUser, mask: ((text: string) => string) | null = null) {
  return {
    number: c.number, subject: mask ? mask(c.subject) : c.subject, status: c.status, category: c.category, priority: c.priority,
    member: member(c, viewer), assignee: c.assignee?.email ?? null,
    receivedAt: iso(c.receivedAt), dueAt: iso(c.dueAt), slaState,
  };
}

/**
 * With `q`: where the consult matched, as plain text with the matches' [start, end) offsets (UTF-16
 * units), the member's identity masked: the subject (null until the consult is indexed), and a
 * window of its messages (null when they hold no term).
 */
export function searchHighlight(h: ConsultHighlight | undefined) {
  return h ? { highlight: { subject: h.subject, snippet: h.snippet } } : {};
}

/** Where the consult stands in its month (INTERFACES.md): `usage: { month, ordinal, billingCandidate }`. */
export interface TicketUsage {
  month: string;
  ordinal: number | null;
  billingCandidate: boolean;
}

/**
 * One consult with its thread. `mask` hides the member's identity in every text and file name for
 * an expert (IdentityMaskService.maskerFor); managers and admins get none and read them as written.
 * A reply's `sentAt` is when staff sent it; `deliveryStatus` and `deliveredAt` say whether the mail
 * has left (queued while the relay is down, failed or bounced), from the outbound mail it queued.
 */
export function ticketDetail(
  c: Consult, thread: Message[], outbound: OutboundMail[], slaState: SlaState, viewer: StaffUser, usage?: TicketUsage, mask: ((text: string) => string) | null = null,
) {
  const shown = (text: string) => (mask ? mask(text) : text);
  const mailOf = new Map(outbound.filter((o) => o.messageRowId !== null).map((o) => [o.messageRowId!, o]));
  const delivery = (m: Message) => {
    const mail = mailOf.get(m.id);
    return mail ? { deliveryStatus: mail.status, deliveredAt: iso(mail.sentAt) } : {};
  };
  return {
    ...ticketSummary(c, slaState, viewer, mask),
    ...(usage ? { usage: { month: usage.month, ordinal: usage.ordinal, billingCandidate: usage.billingCandidate } } : {}),
    firstDueAt: iso(c.firstDueAt), firstResponseAt: iso(c.firstResponseAt),
    messages: thread.map((m) => ({
      id: m.id, direction: m.direction, subject: shown(m.subject), text: shown(m.text),
      ...(m.direction === 'inbound' ? { receivedAt: iso(m.occurredAt) } : { sentAt: iso(m.occurredAt), ...delivery(m) }),
      author: m.author?.name ?? null, parseError: m.parseError,
      ...(seesIdentity(viewer) && m.direction === 'inbound' ? { from: m.fromAddress } : {}),
    })),
    attachments: thread.flatMap((m) => (m.attachments ?? []).map((a) => ({
      id: a.id, messageId: m.id, filename: maskFileName(a.filename, mask), size: a.size, contentType: a.contentType, encrypted: a.encrypted,
    }))),
  };
}
