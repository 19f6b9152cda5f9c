import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { ConsultsModule } from '@kkd/consults';
import { MailModule } from '@kkd/mail';
import { MembershipModule } from '@kkd/membership';
import { StaffModule } from '@kkd/staff';
import { AssignmentService } from './assignment.service';
import { NewConsultNoticeRecord } from './entities/new-consult-notice.entity';
import { NewConsultDigestJob } from './jobs/new-consult-digest.job';
import { NewConsultNoticeService } from './new-consult-notice.service';

@Module({
  imports: [TypeOrmModule.forFeature([NewConsultNoticeRecord]), ConsultsModule, MailModule, MembershipModule, StaffModule],
  providers: [AssignmentService, NewConsultNoticeService, NewConsultDigestJob],
  exports: [AssignmentService, NewConsultNoticeService, NewConsultDigestJob],
})
export class AssignmentModule {}
