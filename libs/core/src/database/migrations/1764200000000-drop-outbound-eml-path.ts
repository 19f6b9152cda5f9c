import { MigrationInterface, QueryRunner, TableColumn } from 'typeorm';

/** The .eml file of an outbound mail is named by its id (DATA_DIR/outbox/<id>.eml); no column needed. */
export class DropOutboundEmlPath1764200000000 implements MigrationInterface {
  name = 'DropOutboundEmlPath1764200000000';

  async up(q: QueryRunner): Promise<void> {
    await q.dropColumn('outbound_mails', 'eml_path');
  }

  async down(q: QueryRunner): Promise<void> {
    await q.addColumn('outbound_mails', new TableColumn({ name: 'eml_path', type: 'varchar', length: '500', isNullable: true }));
  }
}
