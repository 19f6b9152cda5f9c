import { InitialSchema1764000000000 } from './1764000000000-initial-schema';
import { OutboundMessageIdIndex1764100000000 } from './1764100000000-outbound-message-id-index';
import { DropOutboundEmlPath1764200000000 } from './1764200000000-drop-outbound-eml-path';
import { CompanyHolidays1764300000000 } from './1764300000000-company-holidays';
import { SlaTracking1764400000000 } from './1764400000000-sla-tracking';
import { HeldMailHandling1764500000000 } from './1764500000000-held-mail-handling';
import { TriageAssignment1764600000000 } from './1764600000000-triage-assignment';
import { Usage1764700000000 } from './1764700000000-usage';
import { ContractsAudit1764800000000 } from './1764800000000-contracts-audit';
import { KnowledgeBase1764900000000 } from './1764900000000-knowledge-base';
import { CannedReplies1765000000000 } from './1765000000000-canned-replies';
import { NewConsultNotice1765100000000 } from './1765100000000-new-consult-notice';
import { ReplyAttachments1765200000000 } from './1765200000000-reply-attachments';
import { StaffTotp1765300000000 } from './1765300000000-staff-totp';
import { ConsultSearch1765450000000 } from './1765450000000-consult-search';
import { LoginFailures1765460000000 } from './1765460000000-login-failures';
import { QueueIndexes1765470000000 } from './1765470000000-queue-indexes';
import { IntakeCounters1765480000000 } from './1765480000000-intake-counters';
import { MemberIdentitySearch1765490000000 } from './1765490000000-member-identity-search';
import { StatusCounts1765500000000 } from './1765500000000-status-counts';
import { MemberIdentityFold1765512000000 } from './1765512000000-member-identity-fold';
import { StaffPasswordChange1765523000000 } from './1765523000000-staff-password-change';
import { HeldMailDiscardReason1765524000000 } from './1765524000000-held-mail-discard-reason';
import { Retention1765535000000 } from './1765535000000-retention';

/** Every migration, in order; listed explicitly so the bundled build needs no file globbing. */
export const MIGRATIONS = [
  InitialSchema1764000000000, OutboundMessageIdIndex1764100000000, DropOutboundEmlPath1764200000000, CompanyHolidays1764300000000, SlaTracking1764400000000,
  HeldMailHandling1764500000000, TriageAssignment1764600000000, Usage1764700000000,
  ContractsAudit1764800000000, KnowledgeBase1764900000000, CannedReplies1765000000000, NewConsultNotice1765100000000,
  ReplyAttachments1765200000000, StaffTotp1765300000000, ConsultSearch1765450000000, LoginFailures1765460000000,
  QueueIndexes1765470000000, IntakeCounters1765480000000, MemberIdentitySearch1765490000000, StatusCounts1765500000000,
  MemberIdentityFold1765512000000, StaffPasswordChange1765523000000, HeldMailDiscardReason1765524000000,
  Retention1765535000000,
];
