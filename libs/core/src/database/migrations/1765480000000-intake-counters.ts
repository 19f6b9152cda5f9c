import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Several instances taking mail at once on PostgreSQL (issue 8). The consult number came from a
 * row of `counters` that every intake locked from its first statement to its COMMIT (an fsync),
 * so intakes ran one after the other whatever the number of instances. A SEQUENCE hands out the
 * next number without holding anything to the commit; a rolled-back intake leaves a gap, which a
 * ticket number can have. CACHE 1 (the default) keeps numbers increasing across connections.
 * The sequence continues from the counter or the highest number stored, whichever is higher.
 *
 * The kept total of consults (migration QueueIndexes) was the next such row: its triggers updated
 * it on every insert, so once the number no longer serialised intakes, they waited there. Each
 * statement now inserts its change as a row of `consults_total_deltas` (no row is shared); the
 * reader adds them to the counter and folds them into it now and then (ConsultRepository.total).
 *
 * SQLite keeps both counter rows: it writes one transaction at a time anyway, and its transaction
 * runner takes the number's row lock as the file's write lock.
 */
export class IntakeCounters1765480000000 implements MigrationInterface {
  name = 'IntakeCounters1765480000000';

  async up(q: QueryRunner): Promise<void> {
    if (q.connection.options.type !== 'postgres') return;
    await q.query('CREATE SEQUENCE consult_number_seq AS integer MINVALUE 1');
    // setval(…, n, true): the next number is n + 1; with nothing numbered yet, the first is 1.
    await q.query(`SELECT setval('consult_number_seq', GREATEST(last.n, 1), last.n > 0) FROM (SELECT GREATEST(
      (SELECT COALESCE(MAX(value), 0) FROM counters WHERE name = 'consult_number'), (SELECT COALESCE(MAX(number), 0) FROM consults)) AS n) last`);
    await q.query(`DELETE FROM counters WHERE name = 'consult_number'`);

    await q.query('CREATE TABLE consults_total_deltas (delta integer NOT NULL)');
    await totalTriggers(q, {
      added: 'INSERT INTO consults_total_deltas (delta) SELECT COUNT(*) FROM added',
      removed: 'INSERT INTO consults_total_deltas (delta) SELECT -COUNT(*) FROM removed HAVING COUNT(*) > 0',
      emptied: `DELETE FROM consults_total_deltas; UPDATE counters SET value = 0 WHERE name = 'consults_total'`,
    });
  }

  async down(q: QueryRunner): Promise<void> {
    if (q.connection.options.type !== 'postgres') return;
    await q.query(`WITH folded AS (DELETE FROM consults_total_deltas RETURNING delta)
      UPDATE counters SET value = value + (SELECT COALESCE(SUM(delta), 0) FROM folded) WHERE name = 'consults_total'`);
    await totalTriggers(q, {
      added: `UPDATE counters SET value = value + (SELECT COUNT(*) FROM added) WHERE name = 'consults_total'`,
      removed: `UPDATE counters SET value = value - (SELECT COUNT(*) FROM removed) WHERE name = 'consults_total'`,
      emptied: `UPDATE counters SET value = 0 WHERE name = 'consults_total'`,
    });
    await q.query('DROP TABLE consults_total_deltas');

    await q.query(`INSERT INTO counters (name, value) SELECT 'consult_number', GREATEST(
      (SELECT CASE WHEN is_called THEN last_value ELSE last_value - 1 END FROM consult_number_seq), (SELECT COALESCE(MAX(number), 0) FROM consults))`);
    await q.query('DROP SEQUENCE consult_number_seq');
  }
}

/** The bodies of the total's trigger functions (the triggers themselves stay as QueueIndexes made them). */
async function totalTriggers(q: QueryRunner, body: { added: string; removed: string; emptied: string }): Promise<void> {
  for (const [fn, sql] of [['consults_total_added', body.added], ['consults_total_removed', body.removed], ['consults_total_emptied', body.emptied]]) {
    await q.query(`CREATE OR REPLACE FUNCTION ${fn}() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN ${sql}; RETURN NULL; END $$`);
  }
}
