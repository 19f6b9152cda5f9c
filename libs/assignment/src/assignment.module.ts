import { Module } from '@nestjs/common';
import { ConsultsModule } from '@kkd/consults';
import { MailModule } from '@kkd/mail';
import { StaffModule } from '@kkd/staff';
import { AssignmentService } from './assignment.service';

@Module({
  imports: [ConsultsModule, MailModule, StaffModule],
  providers: [AssignmentService],
  exports: [AssignmentService],
})
export class AssignmentModule {}
