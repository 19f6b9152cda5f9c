import { MigrationInterface, QueryRunner, Table, TableColumn, TableIndex } from 'typeorm';

/**
 * New-consult notices to experts (issue 9 item 6): each expert's choice (off / immediate / daily
 * digest), and a row per notice sent. The unique key makes a notice go once: one immediate mail per
 * expert and consult, one digest per expert and Japan date (key = YYYY-MM-DD).
 */
export class NewConsultNotice1765100000000 implements MigrationInterface {
  name = 'NewConsultNotice1765100000000';

  async up(q: QueryRunner): Promise<void> {
    await q.addColumn('staff_users', new TableColumn({ name: 'new_consult_notice', type: 'varchar', length: '16', isNullable: false, default: "'off'" }));
    await q.createTable(new Table({
      name: 'new_consult_notices',
      columns: [
        { name: 'id', type: 'integer', isPrimary: true, isGenerated: true, generationStrategy: 'increment' },
        { name: 'staff_id', type: 'integer' },
        { name: 'kind', type: 'varchar', length: '16' },
        { name: 'notice_key', type: 'varchar', length: '32' },
        // A digest covers consults created before this instant (the next one starts there).
        { name: 'covered_until', type: 'bigint' },
        { name: 'consult_count', type: 'integer' },
        { name: 'created_at', type: 'bigint' },
      ],
      indices: [new TableIndex({ name: 'uq_new_consult_notices', columnNames: ['staff_id', 'kind', 'notice_key'], isUnique: true })],
      foreignKeys: [{ columnNames: ['staff_id'], referencedTableName: 'staff_users', referencedColumnNames: ['id'], onDelete: 'CASCADE' }],
    }));
    // The digest reads the consults created in a window.
    await q.createIndex('consults', new TableIndex({ name: 'idx_consults_created', columnNames: ['created_at'] }));
  }

  async down(q: QueryRunner): Promise<void> {
    await q.dropIndex('consults', 'idx_consults_created');
    await q.dropTable('new_consult_notices');
    await q.dropColumn('staff_users', 'new_consult_notice');
  }
}
