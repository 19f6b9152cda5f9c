export { MailModule } from './mail.module';
export { OutboxService } from './outbox.service';
export { OutboxSenderJob } from './jobs/outbox-sender.job';
export { MailTemplates } from './mail-templates';
export { OutboundMail } from './entities/outbound-mail.entity';
export { consultNumberInSubject, normalizeSubject, taggedSubject } from './utils/subject-tag.util';
export type { EnqueueInput } from './outbox.service';
export type { OutboundKind, OutboundStatus } from './entities/outbound-mail.entity';
export type { MailTemplateName } from './mail-templates';
