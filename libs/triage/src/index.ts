export { TriageModule } from './triage.module';
export { describeTriage, TriageService } from './triage.service';
export { SimilarConsultsService } from './similar-consults.service';
export { TriageRuleRow } from './entities/triage-rule.entity';
export type { TriagePreviewRow, TriageRuleInput } from './triage.service';
export type { SimilarConsult } from './similar-consults.service';
export type { TriageMatch, TriageResult } from './utils/score-triage.util';
