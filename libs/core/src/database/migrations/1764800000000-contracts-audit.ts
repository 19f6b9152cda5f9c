import { MigrationInterface, QueryRunner, Table, TableColumn, TableForeignKey, TableIndex } from 'typeorm';

const id = { name: 'id', type: 'integer', isPrimary: true, isGenerated: true, generationStrategy: 'increment' as const };
const instant = (name: string, nullable = false) => new TableColumn({ name, type: 'bigint', isNullable: nullable });
const fk = (column: string, table: string, onDelete: 'CASCADE' | 'SET NULL') =>
  new TableForeignKey({ columnNames: [column], referencedTableName: table, referencedColumnNames: ['id'], onDelete });

/**
 * The contract lifecycle (history of state changes, reminders sent once) and the audit log.
 * Audit rows keep the actor's email as written: they outlive a deleted staff account.
 */
export class ContractsAudit1764800000000 implements MigrationInterface {
  name = 'ContractsAudit1764800000000';

  async up(q: QueryRunner): Promise<void> {
    await q.createTable(new Table({
      name: 'contract_events',
      columns: [
        id, { name: 'member_id', type: 'integer' }, { name: 'kind', type: 'varchar', length: '16' },
        { name: 'from_status', type: 'varchar', length: '16', isNullable: true }, { name: 'to_status', type: 'varchar', length: '16', isNullable: true },
        // Japan calendar dates (YYYY-MM-DD).
        { name: 'effective_on', type: 'varchar', length: '10' }, { name: 'notice_on', type: 'varchar', length: '10', isNullable: true },
        { name: 'requested_on', type: 'varchar', length: '10', isNullable: true },
        { name: 'reason', type: 'text' }, { name: 'actor_id', type: 'integer', isNullable: true },
        instant('applied_at', true), instant('created_at'),
      ],
      indices: [new TableIndex({ columnNames: ['member_id', 'id'] }), new TableIndex({ columnNames: ['applied_at', 'effective_on'] })],
      foreignKeys: [fk('member_id', 'members', 'CASCADE'), fk('actor_id', 'staff_users', 'SET NULL')],
    }));
    await q.createTable(new Table({
      name: 'contract_reminders',
      columns: [
        id, { name: 'member_id', type: 'integer' }, { name: 'contract_end', type: 'varchar', length: '10' },
        { name: 'days_before', type: 'integer' }, instant('created_at'),
      ],
      indices: [new TableIndex({ name: 'uq_contract_reminders', columnNames: ['member_id', 'contract_end', 'days_before'], isUnique: true })],
      foreignKeys: [fk('member_id', 'members', 'CASCADE')],
    }));
    await q.createIndex('members', new TableIndex({ name: 'idx_members_status_end', columnNames: ['status', 'contract_end'] }));
    await q.createTable(new Table({
      name: 'audit_log',
      columns: [
        id, instant('at'), { name: 'actor_id', type: 'integer', isNullable: true },
        { name: 'actor_email', type: 'varchar', length: '254', isNullable: true }, { name: 'action', type: 'varchar', length: '64' },
        { name: 'target_type', type: 'varchar', length: '32' }, { name: 'target_id', type: 'varchar', length: '64', isNullable: true },
        { name: 'target_label', type: 'varchar', length: '100', isNullable: true }, { name: 'details', type: 'text', isNullable: true },
      ],
      indices: [
        new TableIndex({ columnNames: ['at'] }), new TableIndex({ columnNames: ['action', 'at'] }),
        new TableIndex({ columnNames: ['target_label', 'at'] }), new TableIndex({ columnNames: ['actor_email', 'at'] }),
      ],
    }));
  }

  async down(q: QueryRunner): Promise<void> {
    await q.dropTable('audit_log');
    await q.dropIndex('members', 'idx_members_status_end');
    await q.dropTable('contract_reminders');
    await q.dropTable('contract_events');
  }
}
