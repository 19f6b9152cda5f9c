import { MigrationInterface, QueryRunner, Table, TableIndex } from 'typeorm';

/**
 * Files out (issue 9 item 4): the files an expert attached to a reply, one row per file of an
 * outbound mail. The bytes stay content-addressed on disk (DATA_DIR/attachments); the outbox reads
 * them when it composes the mail, so a retried mail carries the same files.
 */
export class ReplyAttachments1765200000000 implements MigrationInterface {
  name = 'ReplyAttachments1765200000000';

  async up(q: QueryRunner): Promise<void> {
    await q.createTable(new Table({
      name: 'outbound_attachments',
      columns: [
        { name: 'id', type: 'integer', isPrimary: true, isGenerated: true, generationStrategy: 'increment' },
        { name: 'outbound_mail_id', type: 'integer' },
        { name: 'filename', type: 'varchar', length: '255' },
        { name: 'content_type', type: 'varchar', length: '128' },
        { name: 'size', type: 'integer' },
        { name: 'sha256', type: 'varchar', length: '64' },
        { name: 'storage_path', type: 'varchar', length: '255' },
      ],
      indices: [new TableIndex({ name: 'idx_outbound_attachments_mail', columnNames: ['outbound_mail_id'] })],
      foreignKeys: [{ columnNames: ['outbound_mail_id'], referencedTableName: 'outbound_mails', referencedColumnNames: ['id'], onDelete: 'CASCADE' }],
    }));
  }

  async down(q: QueryRunner): Promise<void> {
    await q.dropTable('outbound_attachments');
  }
}
