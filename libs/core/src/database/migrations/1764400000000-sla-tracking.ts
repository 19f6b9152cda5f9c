import { MigrationInterface, QueryRunner, Table, TableColumn, TableForeignKey, TableIndex } from 'typeorm';

/**
 * SLA tracking: each member message has its own due time and the time a staff reply answered it;
 * consults keep their current SLA state for the queue; each warning is recorded once per due time.
 */
export class SlaTracking1764400000000 implements MigrationInterface {
  name = 'SlaTracking1764400000000';

  async up(q: QueryRunner): Promise<void> {
    await q.addColumns('messages', [
      new TableColumn({ name: 'due_at', type: 'bigint', isNullable: true }),
      new TableColumn({ name: 'answered_at', type: 'bigint', isNullable: true }),
    ]);
    await q.addColumn('consults', new TableColumn({ name: 'sla_state', type: 'varchar', length: '16', isNullable: false, default: "'on_track'" }));
    await q.createIndex('consults', new TableIndex({ name: 'idx_consults_sla_state_due', columnNames: ['sla_state', 'due_at'] }));
    await q.createIndex('consults', new TableIndex({ name: 'idx_consults_due', columnNames: ['due_at'] }));
    await q.createTable(new Table({
      name: 'sla_warnings',
      columns: [
        { name: 'id', type: 'integer', isPrimary: true, isGenerated: true, generationStrategy: 'increment' },
        { name: 'consult_id', type: 'integer' },
        { name: 'kind', type: 'varchar', length: '16' },
        { name: 'due_at', type: 'bigint' },
        { name: 'created_at', type: 'bigint' },
      ],
      indices: [new TableIndex({ name: 'uq_sla_warnings_once', columnNames: ['consult_id', 'kind', 'due_at'], isUnique: true })],
      foreignKeys: [new TableForeignKey({ columnNames: ['consult_id'], referencedTableName: 'consults', referencedColumnNames: ['id'], onDelete: 'CASCADE' })],
    }));
  }

  async down(q: QueryRunner): Promise<void> {
    await q.dropTable('sla_warnings');
    await q.dropIndex('consults', 'idx_consults_due');
    await q.dropIndex('consults', 'idx_consults_sla_state_due');
    await q.dropColumn('consults', 'sla_state');
    await q.dropColumns('messages', ['due_at', 'answered_at']);
  }
}
