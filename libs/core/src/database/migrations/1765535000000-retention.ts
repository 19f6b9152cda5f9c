import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The retention period (RETENTION_DAYS, PRODUCT.md art. 37): when the files of a long-closed
 * consult are deleted, its attachment rows and messages keep a mark of it, so the console says so
 * instead of offering a broken link. Files are content-addressed and raw sources may be shared with
 * held mail, so a file is deleted only when no row still names it: the indexes make that check a
 * lookup instead of a scan of each table. Plain ALTER TABLE: instant on both databases, where
 * TypeORM's addColumn would copy the whole messages table on SQLite.
 */
export class Retention1765535000000 implements MigrationInterface {
  name = 'Retention1765535000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query('ALTER TABLE attachments ADD COLUMN deleted_at bigint NULL');
    await q.query('ALTER TABLE messages ADD COLUMN raw_deleted_at bigint NULL');
    await q.query('CREATE INDEX idx_attachments_storage_path ON attachments (storage_path)');
    await q.query('CREATE INDEX idx_outbound_attachments_storage_path ON outbound_attachments (storage_path)');
    await q.query('CREATE INDEX idx_messages_raw_path ON messages (raw_path)');
    await q.query('CREATE INDEX idx_held_mails_raw_path ON held_mails (raw_path)');
  }

  async down(q: QueryRunner): Promise<void> {
    for (const index of ['idx_held_mails_raw_path', 'idx_messages_raw_path', 'idx_outbound_attachments_storage_path', 'idx_attachments_storage_path']) {
      await q.query(`DROP INDEX ${index}`);
    }
    await q.query('ALTER TABLE messages DROP COLUMN raw_deleted_at');
    await q.query('ALTER TABLE attachments DROP COLUMN deleted_at');
  }
}
