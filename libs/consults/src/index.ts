import './consult-events'; // the consult events of DomainEventMap
export { ConsultsModule } from './consults.module';
export { ConsultsService } from './consults.service';
export { ConsultRepository } from './consult.repository';
export { ConsultMergeService } from './consult-merge.service';
export { ConsultSearchIndexer } from './consult-search-indexer.service';
export { ConsultSearchIndexJob } from './jobs/consult-search-index.job';
export { ConsultEvent } from './entities/consult-event.entity';
export { MergeRefusedError, ReplyConflictError, StatusTransitionError } from './consults.exception';
export { Consult } from './entities/consult.entity';
export { Message } from './entities/message.entity';
export { Attachment } from './entities/attachment.entity';
export * from './consult-codes';
export { slaState } from './utils/sla-state.util';
export type { ConsultListQuery, DeliveredMail, QueueCounts } from './consult.repository';
export type { ConsultHighlight, ConsultListResult } from './consult-search.service';
export type { CatchUpResult } from './consult-search-indexer.service';
export type { ConsultPatch, InboundMessageInput, ReplyGuard } from './consults.service';
