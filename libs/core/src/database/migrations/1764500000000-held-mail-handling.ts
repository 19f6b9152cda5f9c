import { MigrationInterface, QueryRunner, TableColumn, TableIndex } from 'typeorm';

/** Who attached or discarded a held mail, when, and the consult it became; notices found by recipient. */
export class HeldMailHandling1764500000000 implements MigrationInterface {
  name = 'HeldMailHandling1764500000000';

  async up(q: QueryRunner): Promise<void> {
    await q.addColumns('held_mails', [
      new TableColumn({ name: 'consult_id', type: 'integer', isNullable: true }),
      new TableColumn({ name: 'handled_by', type: 'integer', isNullable: true }),
      new TableColumn({ name: 'handled_at', type: 'bigint', isNullable: true }),
    ]);
    await q.createIndex('outbound_mails', new TableIndex({ name: 'idx_outbound_mails_to_created', columnNames: ['to_address', 'created_at'] }));
  }

  async down(q: QueryRunner): Promise<void> {
    await q.dropIndex('outbound_mails', 'idx_outbound_mails_to_created');
    await q.dropColumns('held_mails', ['consult_id', 'handled_by', 'handled_at']);
  }
}
