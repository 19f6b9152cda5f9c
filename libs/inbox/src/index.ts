export { InboxModule } from './inbox.module';
export { IntakeService } from './intake.service';
export { SmtpIntakeServer } from './smtp-intake.server';
export { MailStore } from './mail-store';
export { HeldMailRepository } from './held-mail.repository';
export { HeldMail } from './entities/held-mail.entity';
export { IntakeTemporaryError } from './inbox.exception';
export type { IntakeOutcome } from './intake.service';
export type { HoldReason, HeldStatus } from './entities/held-mail.entity';
