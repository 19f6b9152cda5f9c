export { AssignmentModule } from './assignment.module';
export { AssignmentService } from './assignment.service';
export { NewConsultNoticeService } from './new-consult-notice.service';
export { NewConsultDigestJob } from './jobs/new-consult-digest.job';
export { AlreadyAssignedError, AssignmentForbiddenError } from './assignment.exception';
export { chooseExpert } from './utils/choose-expert.util';
export type { AssignmentChoice, ExpertCandidate } from './utils/choose-expert.util';
export type { BulkReassignResult, RosterEntry } from './assignment.service';
