import { MigrationInterface, QueryRunner, TableIndex } from 'typeorm';

/**
 * The queue at a million consults (issue 8). COUNT(*) of every consult reads the whole table
 * (about 80 ms on PostgreSQL) and the navigation shows it on every console page, so triggers keep
 * the number in `counters` ('consults_total'), exact in the same transaction as the insert or
 * delete. (received_at, id) pages すべて newest or oldest first without a sort; (category, priority,
 * due_at) counts and orders the queue's category and priority filters. The counted consults of a
 * member (usage ordinals on every queue page, the acknowledgement's ordinal) read from a partial
 * index alone instead of fetching every row of the month.
 */
export class QueueIndexes1765470000000 implements MigrationInterface {
  name = 'QueueIndexes1765470000000';

  async up(q: QueryRunner): Promise<void> {
    await q.createIndex('consults', new TableIndex({ name: 'idx_consults_received_id', columnNames: ['received_at', 'id'] }));
    await q.createIndex('consults', new TableIndex({ name: 'idx_consults_category_priority_due', columnNames: ['category', 'priority', 'due_at'] }));
    await q.createIndex('consults', new TableIndex({
      name: 'idx_consults_counted', columnNames: ['member_id', 'received_at', 'id'], where: 'merged_into_id IS NULL',
    }));
    await q.query(`INSERT INTO counters (name, value) SELECT 'consults_total', COUNT(*) FROM consults`);
    if (q.connection.options.type === 'postgres') {
      // Statement-level with transition tables: a bulk insert updates the counter once, not per row.
      await q.query(`CREATE FUNCTION consults_total_added() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN
        UPDATE counters SET value = value + (SELECT COUNT(*) FROM added) WHERE name = 'consults_total'; RETURN NULL; END $$`);
      await q.query(`CREATE FUNCTION consults_total_removed() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN
        UPDATE counters SET value = value - (SELECT COUNT(*) FROM removed) WHERE name = 'consults_total'; RETURN NULL; END $$`);
      await q.query(`CREATE FUNCTION consults_total_emptied() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN
        UPDATE counters SET value = 0 WHERE name = 'consults_total'; RETURN NULL; END $$`);
      await q.query('CREATE TRIGGER consults_total_ai AFTER INSERT ON consults REFERENCING NEW TABLE AS added FOR EACH STATEMENT EXECUTE FUNCTION consults_total_added()');
      await q.query('CREATE TRIGGER consults_total_ad AFTER DELETE ON consults REFERENCING OLD TABLE AS removed FOR EACH STATEMENT EXECUTE FUNCTION consults_total_removed()');
      await q.query('CREATE TRIGGER consults_total_at AFTER TRUNCATE ON consults FOR EACH STATEMENT EXECUTE FUNCTION consults_total_emptied()');
      return;
    }
    await q.query(`CREATE TRIGGER consults_total_ai AFTER INSERT ON consults BEGIN
      UPDATE counters SET value = value + 1 WHERE name = 'consults_total'; END`);
    await q.query(`CREATE TRIGGER consults_total_ad AFTER DELETE ON consults BEGIN
      UPDATE counters SET value = value - 1 WHERE name = 'consults_total'; END`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP TRIGGER IF EXISTS consults_total_ai' + (q.connection.options.type === 'postgres' ? ' ON consults' : ''));
    await q.query('DROP TRIGGER IF EXISTS consults_total_ad' + (q.connection.options.type === 'postgres' ? ' ON consults' : ''));
    if (q.connection.options.type === 'postgres') {
      await q.query('DROP TRIGGER IF EXISTS consults_total_at ON consults');
      await q.query('DROP FUNCTION IF EXISTS consults_total_added(), consults_total_removed(), consults_total_emptied()');
    }
    await q.query(`DELETE FROM counters WHERE name = 'consults_total'`);
    await q.dropIndex('consults', 'idx_consults_counted');
    await q.dropIndex('consults', 'idx_consults_category_priority_due');
    await q.dropIndex('consults', 'idx_consults_received_id');
  }
}
