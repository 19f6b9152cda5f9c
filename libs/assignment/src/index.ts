export { AssignmentModule } from './assignment.module';
export { AssignmentService } from './assignment.service';
export { AlreadyAssignedError } from './assignment.exception';
export { chooseExpert } from './utils/choose-expert.util';
export type { AssignmentChoice, ExpertCandidate } from './utils/choose-expert.util';
export type { BulkReassignResult, RosterEntry } from './assignment.service';
