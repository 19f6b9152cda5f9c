import { DynamicModule, Module } from '@nestjs/common';
import { ScheduleModule } from '@nestjs/schedule';
import { AssignmentModule } from '@kkd/assignment';
import { CalendarModule } from '@kkd/calendar';
import { ConsultsModule } from '@kkd/consults';
import { AppConfig, CoreModule } from '@kkd/core';
import { InboxModule } from '@kkd/inbox';
import { MembershipModule } from '@kkd/membership';
import { StaffModule } from '@kkd/staff';
import { TriageModule } from '@kkd/triage';
import { UsageModule } from '@kkd/usage';

/** The libs an operator command may need; no HTTP, no SMTP listener, no scheduler. */
@Module({})
export class CliModule {
  static forRoot(config: AppConfig): DynamicModule {
    return {
      module: CliModule,
      imports: [CoreModule.forRoot(config), ScheduleModule.forRoot(), CalendarModule, MembershipModule, StaffModule, ConsultsModule, InboxModule, TriageModule, AssignmentModule, UsageModule],
    };
  }
}
