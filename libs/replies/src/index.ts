export { RepliesModule } from './replies.module';
export { CannedRepliesService } from './canned-replies.service';
export { CannedReply } from './entities/canned-reply.entity';
export { PLACEHOLDERS } from './utils/fill-placeholders.util';
export type { CannedReplyChoice, CannedReplyDraft, CannedReplyInput } from './canned-replies.service';
export type { PlaceholderName } from './utils/fill-placeholders.util';
