import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { CannedRepliesService } from './canned-replies.service';
import { CannedReplyRepository } from './canned-reply.repository';
import { CannedReply } from './entities/canned-reply.entity';

/** Canned replies (定型文) and the reply signature; depends on core (settings) and the consult vocabulary only. */
@Module({
  imports: [TypeOrmModule.forFeature([CannedReply])],
  providers: [CannedReplyRepository, CannedRepliesService],
  exports: [CannedRepliesService],
})
export class RepliesModule {}
