import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { CalendarModule } from '@kkd/calendar';
import { MailModule } from '@kkd/mail';
import { MembershipModule } from '@kkd/membership';
import { StaffModule } from '@kkd/staff';
import { ConsultMergeService } from './consult-merge.service';
import { ConsultRepository } from './consult.repository';
import { ConsultsService } from './consults.service';
import { Attachment } from './entities/attachment.entity';
import { Consult } from './entities/consult.entity';
import { ConsultEvent } from './entities/consult-event.entity';
import { Message } from './entities/message.entity';

@Module({
  imports: [TypeOrmModule.forFeature([Consult, Message, Attachment, ConsultEvent]), CalendarModule, MailModule, MembershipModule, StaffModule],
  providers: [ConsultRepository, ConsultsService, ConsultMergeService],
  exports: [ConsultRepository, ConsultsService, ConsultMergeService],
})
export class ConsultsModule {}
