import { MigrationInterface, QueryRunner, Table, TableColumn, TableForeignKey, TableIndex } from 'typeorm';

const instant = (name: string, nullable = false) => new TableColumn({ name, type: 'bigint', isNullable: nullable });
const fk = (column: string, table: string, onDelete: 'CASCADE' | 'SET NULL') =>
  new TableForeignKey({ columnNames: [column], referencedTableName: table, referencedColumnNames: ['id'], onDelete });

/**
 * Triage rules (as data), expert capacity and absences, the consult timeline, and merging.
 * The default rules are seeded by the triage module on start (they are product data, not schema).
 */
export class TriageAssignment1764600000000 implements MigrationInterface {
  name = 'TriageAssignment1764600000000';

  async up(q: QueryRunner): Promise<void> {
    await q.addColumns('staff_users', [
      new TableColumn({ name: 'capacity', type: 'integer', isNullable: false, default: 5 }),
      instant('last_assigned_at', true),
      // Orders assignments exactly (two in the same millisecond still have an order): the round robin.
      new TableColumn({ name: 'last_assignment_seq', type: 'integer', isNullable: false, default: 0 }),
    ]);
    await q.createTable(new Table({
      name: 'staff_absences',
      columns: [
        { name: 'id', type: 'integer', isPrimary: true, isGenerated: true, generationStrategy: 'increment' },
        { name: 'user_id', type: 'integer' },
        // Japan calendar dates, inclusive (YYYY-MM-DD).
        { name: 'starts_on', type: 'varchar', length: '10' }, { name: 'ends_on', type: 'varchar', length: '10' },
        { name: 'note', type: 'varchar', length: '200', isNullable: true }, instant('created_at'),
      ],
      indices: [new TableIndex({ columnNames: ['user_id', 'ends_on'] }), new TableIndex({ columnNames: ['ends_on'] })],
      foreignKeys: [fk('user_id', 'staff_users', 'CASCADE')],
    }));
    await q.createTable(new Table({
      name: 'triage_rules',
      columns: [
        { name: 'id', type: 'integer', isPrimary: true, isGenerated: true, generationStrategy: 'increment' },
        { name: 'term', type: 'varchar', length: '100' },
        { name: 'category', type: 'varchar', length: '32', isNullable: true },
        { name: 'priority', type: 'varchar', length: '16', isNullable: true },
        { name: 'weight', type: 'integer' }, instant('created_at'), instant('updated_at'),
      ],
    }));
    await q.addColumns('consults', [
      // Why triage chose the category and priority: the matched terms, as JSON.
      new TableColumn({ name: 'triage_matches', type: 'text', isNullable: true }),
      // Who set them last: 'triage' or 'staff' (an expert's override is kept and shown).
      new TableColumn({ name: 'category_source', type: 'varchar', length: '16', isNullable: false, default: "'triage'" }),
      new TableColumn({ name: 'priority_source', type: 'varchar', length: '16', isNullable: false, default: "'triage'" }),
      new TableColumn({ name: 'merged_into_id', type: 'integer', isNullable: true }),
      instant('assigned_at', true),
    ]);
    await q.createIndex('consults', new TableIndex({ name: 'idx_consults_assignee_status_due', columnNames: ['assignee_id', 'status', 'due_at'] }));
    await q.createIndex('consults', new TableIndex({ name: 'idx_consults_status_assignee', columnNames: ['status', 'assignee_id'] }));
    await q.createTable(new Table({
      name: 'consult_events',
      columns: [
        { name: 'id', type: 'integer', isPrimary: true, isGenerated: true, generationStrategy: 'increment' },
        { name: 'consult_id', type: 'integer' }, { name: 'kind', type: 'varchar', length: '32' },
        { name: 'actor_id', type: 'integer', isNullable: true }, { name: 'summary', type: 'text' }, instant('occurred_at'),
      ],
      indices: [new TableIndex({ columnNames: ['consult_id', 'occurred_at'] })],
      foreignKeys: [fk('consult_id', 'consults', 'CASCADE'), fk('actor_id', 'staff_users', 'SET NULL')],
    }));
    await q.query(`INSERT INTO counters (name, value) VALUES ('assignment', 0)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DELETE FROM counters WHERE name IN ('assignment', 'triage_rules')`);
    await q.dropTable('consult_events');
    await q.dropIndex('consults', 'idx_consults_status_assignee');
    await q.dropIndex('consults', 'idx_consults_assignee_status_due');
    await q.dropColumns('consults', ['triage_matches', 'category_source', 'priority_source', 'merged_into_id', 'assigned_at']);
    await q.dropTable('triage_rules');
    await q.dropTable('staff_absences');
    await q.dropColumns('staff_users', ['capacity', 'last_assigned_at', 'last_assignment_seq']);
  }
}
