import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { OutboundAttachment } from './entities/outbound-attachment.entity';
import { OutboundMail } from './entities/outbound-mail.entity';
import { OutboxSenderJob } from './jobs/outbox-sender.job';
import { MailTemplates } from './mail-templates';
import { OutboxService } from './outbox.service';

@Module({
  imports: [TypeOrmModule.forFeature([OutboundMail, OutboundAttachment])],
  providers: [OutboxService, MailTemplates, OutboxSenderJob],
  exports: [OutboxService, MailTemplates, OutboxSenderJob],
})
export class MailModule {}
