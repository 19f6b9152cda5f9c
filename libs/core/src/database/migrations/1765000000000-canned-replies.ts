import { MigrationInterface, QueryRunner, Table, TableIndex } from 'typeorm';

/**
 * Canned replies (定型文) managers keep per category (category NULL: every category), with how often
 * and when a reply sent from each was last used. The reply signature is a row in `settings`
 * (key mail.reply_signature) written when a manager first changes it; until then its default applies.
 */
export class CannedReplies1765000000000 implements MigrationInterface {
  name = 'CannedReplies1765000000000';

  async up(q: QueryRunner): Promise<void> {
    await q.createTable(new Table({
      name: 'canned_replies',
      columns: [
        { name: 'id', type: 'integer', isPrimary: true, isGenerated: true, generationStrategy: 'increment' },
        { name: 'category', type: 'varchar', length: '32', isNullable: true },
        { name: 'title', type: 'varchar', length: '100' },
        { name: 'body', type: 'text' },
        { name: 'usage_count', type: 'integer', isNullable: false, default: 0 },
        { name: 'last_used_at', type: 'bigint', isNullable: true },
        { name: 'created_at', type: 'bigint' }, { name: 'updated_at', type: 'bigint' },
      ],
      indices: [new TableIndex({ name: 'idx_canned_replies_category', columnNames: ['category'] })],
    }));
  }

  async down(q: QueryRunner): Promise<void> {
    await q.dropTable('canned_replies');
    await q.query(`DELETE FROM settings WHERE key = 'mail.reply_signature'`);
  }
}
