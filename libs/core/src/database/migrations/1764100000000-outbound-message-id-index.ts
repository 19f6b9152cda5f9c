import { MigrationInterface, QueryRunner, TableIndex } from 'typeorm';

/** Threading looks up our own outbound Message-IDs on every member reply. */
export class OutboundMessageIdIndex1764100000000 implements MigrationInterface {
  name = 'OutboundMessageIdIndex1764100000000';

  async up(q: QueryRunner): Promise<void> {
    await q.createIndex('outbound_mails', new TableIndex({ name: 'idx_outbound_mails_message_id', columnNames: ['message_id_header'] }));
  }

  async down(q: QueryRunner): Promise<void> {
    await q.dropIndex('outbound_mails', 'idx_outbound_mails_message_id');
  }
}
