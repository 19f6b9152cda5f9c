import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { CalendarModule } from '@kkd/calendar';
import { MailModule } from '@kkd/mail';
import { MembershipModule } from '@kkd/membership';
import { StaffModule } from '@kkd/staff';
import { ConsultRepository } from './consult.repository';
import { ConsultsService } from './consults.service';
import { Attachment } from './entities/attachment.entity';
import { Consult } from './entities/consult.entity';
import { Message } from './entities/message.entity';

@Module({
  imports: [TypeOrmModule.forFeature([Consult, Message, Attachment]), CalendarModule, MailModule, MembershipModule, StaffModule],
  providers: [ConsultRepository, ConsultsService],
  exports: [ConsultRepository, ConsultsService],
})
export class ConsultsModule {}
