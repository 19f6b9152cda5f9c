import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AuditModule } from '@kkd/audit';
import { ConsultsModule } from '@kkd/consults';
import { MailModule } from '@kkd/mail';
import { MembershipModule } from '@kkd/membership';
import { UsageModule } from '@kkd/usage';
import { HeldMail } from './entities/held-mail.entity';
import { HeldMailRepository } from './held-mail.repository';
import { HeldMailService } from './held-mail.service';
import { ImapIntakeService } from './imap-intake.service';
import { IntakeService } from './intake.service';
import { ImapIntakeJob } from './jobs/imap-intake.job';
import { RetentionJob } from './jobs/retention.job';
import { MailStore } from './mail-store';
import { RetentionService } from './retention.service';
import { SmtpIntakeServer } from './smtp-intake.server';

@Module({
  imports: [TypeOrmModule.forFeature([HeldMail]), AuditModule, ConsultsModule, MailModule, MembershipModule, UsageModule],
  providers: [IntakeService, MailStore, SmtpIntakeServer, HeldMailRepository, HeldMailService, ImapIntakeService, ImapIntakeJob, RetentionService, RetentionJob],
  exports: [IntakeService, MailStore, SmtpIntakeServer, HeldMailRepository, HeldMailService, ImapIntakeService, ImapIntakeJob, RetentionService, RetentionJob],
})
export class InboxModule {}
