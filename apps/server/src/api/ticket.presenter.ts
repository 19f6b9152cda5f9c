import { Consult, Message, SlaState } from '@kkd/consults';
import { toJstIso } from '@kkd/core';
import { memberDisplayName } from '@kkd/membership';
import { StaffUser } from '@kkd/staff';

const iso = (d: Date | null) => (d ? toJstIso(d) : null);
/** Member identity fields appear only for managers and admins (PRODUCT.md, privacy). */
export const seesIdentity = (viewer: StaffUser) => viewer.role === 'manager' || viewer.role === 'admin';

function member(c: Consult, viewer: StaffUser) {
  const base = { displayName: memberDisplayName(c.member), clubId: c.member.clubId, nickname: c.member.nickname };
  return seesIdentity(viewer)
    ? { ...base, company: c.member.company, contactName: c.member.contactName, email: c.replyAddress }
    : base;
}

export function ticketSummary(c: Consult, slaState: SlaState, viewer: StaffUser) {
  return {
    number: c.number, subject: c.subject, status: c.status, category: c.category, priority: c.priority,
    member: member(c, viewer), assignee: c.assignee?.email ?? null,
    receivedAt: iso(c.receivedAt), dueAt: iso(c.dueAt), slaState,
  };
}

/** Where the consult stands in its month (INTERFACES.md): `usage: { month, ordinal, billingCandidate }`. */
export interface TicketUsage {
  month: string;
  ordinal: number | null;
  billingCandidate: boolean;
}

export function ticketDetail(c: Consult, thread: Message[], slaState: SlaState, viewer: StaffUser, usage?: TicketUsage) {
  return {
    ...ticketSummary(c, slaState, viewer),
    ...(usage ? { usage: { month: usage.month, ordinal: usage.ordinal, billingCandidate: usage.billingCandidate } } : {}),
    firstDueAt: iso(c.firstDueAt), firstResponseAt: iso(c.firstResponseAt),
    messages: thread.map((m) => ({
      id: m.id, direction: m.direction, subject: m.subject, text: m.text,
      ...(m.direction === 'inbound' ? { receivedAt: iso(m.occurredAt) } : { sentAt: iso(m.occurredAt) }),
      author: m.author?.name ?? null, parseError: m.parseError,
      ...(seesIdentity(viewer) && m.direction === 'inbound' ? { from: m.fromAddress } : {}),
    })),
    attachments: thread.flatMap((m) => (m.attachments ?? []).map((a) => ({
      id: a.id, messageId: m.id, filename: a.filename, size: a.size, contentType: a.contentType, encrypted: a.encrypted,
    }))),
  };
}
