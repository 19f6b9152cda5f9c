export { SlaModule } from './sla.module';
export { SlaSweepService } from './sla-sweep.service';
export { SlaSweepJob } from './jobs/sla-sweep.job';
export { SlaReportService } from './sla-report.service';
export { remainingLabel } from './utils/remaining-time.util';
export { shiftMonth } from './utils/report-figures.util';
export { endedWithoutResponse, NO_RESPONSE_LABEL, slaBadge } from './utils/no-response.util';
export type { SweepResult } from './sla-sweep.service';
export type { FirstResponseOutcome, ReportConsult, SlaMonthReport } from './sla-report.service';
