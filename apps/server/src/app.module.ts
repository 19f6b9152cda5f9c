import { DynamicModule, MiddlewareConsumer, Module, NestModule, RequestMethod } from '@nestjs/common';
import { APP_FILTER, APP_GUARD, APP_INTERCEPTOR } from '@nestjs/core';
import { ScheduleModule } from '@nestjs/schedule';
import { AssignmentModule } from '@kkd/assignment';
import { AuditModule } from '@kkd/audit';
import { CalendarModule } from '@kkd/calendar';
import { ConsultsModule } from '@kkd/consults';
import { AppConfig, CoreModule } from '@kkd/core';
import { InboxModule } from '@kkd/inbox';
import { KnowledgeBaseModule } from '@kkd/knowledge-base';
import { MailModule } from '@kkd/mail';
import { MembershipModule } from '@kkd/membership';
import { RepliesModule } from '@kkd/replies';
import { SlaModule } from '@kkd/sla';
import { StaffModule } from '@kkd/staff';
import { TriageModule } from '@kkd/triage';
import { UsageModule } from '@kkd/usage';
import { AssignmentController } from './api/assignment.controller';
import { FaqApiController } from './api/faq.controller';
import { ReportsController } from './api/reports.controller';
import { SlaController } from './api/sla.controller';
import { TicketsController } from './api/tickets.controller';
import { UsageApiController } from './api/usage.controller';
import { AttachmentController } from './console/attachment.controller';
import { AuditController } from './console/audit.controller';
import { AuthController } from './console/auth.controller';
import { CannedRepliesController } from './console/canned-replies.controller';
import { CalendarController } from './console/calendar.controller';
import { ConsultConsoleController } from './console/consult-console.controller';
import { ExpertsController } from './console/experts.controller';
import { FaqConsoleController } from './console/faq.controller';
import { HelpController } from './console/help.controller';
import { HeldMailController } from './console/held-mail.controller';
import { MembersController } from './console/members.controller';
import { QueueCountsInterceptor } from './console/queue-counts.interceptor';
import { ReplyComposeService } from './console/reply-compose.service';
import { SlaReportController } from './console/sla-report.controller';
import { StaffAccountsController } from './console/staff-accounts.controller';
import { TriageRulesController } from './console/triage-rules.controller';
import { UsageController } from './console/usage.controller';
import { SecondFactorController } from './console/second-factor.controller';
import { AccountPasswordController } from './console/account-password.controller';
import { AccessGuard } from './http/access.guard';
import { ReplyUploadMiddleware } from './http/reply-upload.middleware';
import { HealthController } from './ops/health.controller';
import { MetricsController } from './ops/metrics.controller';
import { MetricsService } from './ops/metrics.service';
import { HttpExceptionFilter } from './http/http-exception.filter';

/** Wires the libs to the outside world; the parts (HTTP, SMTP, scheduler) are started by main. */
@Module({})
export class AppModule implements NestModule {
  /** The reply form with files is multipart: parsed before the guard checks its CSRF field. */
  configure(consumer: MiddlewareConsumer): void {
    consumer.apply(ReplyUploadMiddleware).forRoutes({ path: 'consults/:number/reply', method: RequestMethod.POST });
  }

  static forRoot(config: AppConfig): DynamicModule {
    return {
      module: AppModule,
      imports: [
        CoreModule.forRoot(config), ScheduleModule.forRoot(), CalendarModule, MembershipModule, StaffModule, MailModule,
        ConsultsModule, InboxModule, SlaModule, TriageModule, AssignmentModule, AuditModule, UsageModule,
        KnowledgeBaseModule, RepliesModule,
      ],
      controllers: [
        HealthController, TicketsController, AssignmentController, SlaController, AuthController, ConsultConsoleController, HeldMailController,
        AttachmentController, CalendarController, ReportsController, SlaReportController, ExpertsController, TriageRulesController,
        MembersController, AuditController, UsageController, UsageApiController, MetricsController, SecondFactorController,
        FaqApiController, FaqConsoleController, HelpController, CannedRepliesController, StaffAccountsController, AccountPasswordController,
      ],
      providers: [
        MetricsService, ReplyComposeService,
        { provide: APP_GUARD, useClass: AccessGuard },
        { provide: APP_FILTER, useClass: HttpExceptionFilter },
        { provide: APP_INTERCEPTOR, useClass: QueueCountsInterceptor },
      ],
    };
  }
}
