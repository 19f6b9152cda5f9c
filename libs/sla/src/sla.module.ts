import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { CalendarModule } from '@kkd/calendar';
import { ConsultsModule } from '@kkd/consults';
import { MailModule } from '@kkd/mail';
import { MembershipModule } from '@kkd/membership';
import { StaffModule } from '@kkd/staff';
import { SlaWarning } from './entities/sla-warning.entity';
import { SlaSweepJob } from './jobs/sla-sweep.job';
import { SlaDueTimesService } from './sla-due-times.service';
import { SlaReportService } from './sla-report.service';
import { SlaSweepService } from './sla-sweep.service';

@Module({
  imports: [TypeOrmModule.forFeature([SlaWarning]), CalendarModule, ConsultsModule, MailModule, MembershipModule, StaffModule],
  providers: [SlaSweepService, SlaSweepJob, SlaReportService, SlaDueTimesService],
  exports: [SlaSweepService, SlaSweepJob, SlaReportService],
})
export class SlaModule {}
