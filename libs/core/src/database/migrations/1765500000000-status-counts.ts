import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The queue filtered on status alone at a million consults (issue 8): COUNT(*) of the ~740,000
 * closed consults reads that many index entries on every page. Triggers keep the number of
 * consults per status in `consult_status_counts`, exact in the same transaction as the change, as
 * QueueIndexes and IntakeCounters keep the total.
 *
 * PostgreSQL: inserts and deletes add one delta row per status and statement (statement-level,
 * transition tables), so concurrent intakes share no row; ConsultRepository.statusTotal adds them
 * and folds them now and then. A status change is a row-level trigger on UPDATE OF status WHEN it
 * changed: a statement-level UPDATE trigger with transition tables cannot name its columns, so it
 * would run (and copy the rows) for every update of a consult — SLA sweeps, triage, replies.
 * SQLite writes one transaction at a time: plain row triggers on the counts.
 */
export class StatusCounts1765500000000 implements MigrationInterface {
  name = 'StatusCounts1765500000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query('CREATE TABLE consult_status_counts (status varchar(20) PRIMARY KEY, value integer NOT NULL)');
    if (q.connection.options.type === 'postgres') {
      await q.query('CREATE TABLE consult_status_deltas (status varchar(20) NOT NULL, delta integer NOT NULL)');
      await q.query(`CREATE FUNCTION consult_status_added() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN
        INSERT INTO consult_status_deltas (status, delta) SELECT status, COUNT(*) FROM added GROUP BY status; RETURN NULL; END $$`);
      await q.query(`CREATE FUNCTION consult_status_removed() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN
        INSERT INTO consult_status_deltas (status, delta) SELECT status, -COUNT(*) FROM removed GROUP BY status; RETURN NULL; END $$`);
      await q.query(`CREATE FUNCTION consult_status_changed() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN
        INSERT INTO consult_status_deltas (status, delta) VALUES (OLD.status, -1), (NEW.status, 1); RETURN NULL; END $$`);
      await q.query(`CREATE FUNCTION consult_status_emptied() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN
        DELETE FROM consult_status_deltas; UPDATE consult_status_counts SET value = 0; RETURN NULL; END $$`);
      await q.query('CREATE TRIGGER consult_status_ai AFTER INSERT ON consults REFERENCING NEW TABLE AS added FOR EACH STATEMENT EXECUTE FUNCTION consult_status_added()');
      await q.query('CREATE TRIGGER consult_status_ad AFTER DELETE ON consults REFERENCING OLD TABLE AS removed FOR EACH STATEMENT EXECUTE FUNCTION consult_status_removed()');
      await q.query(`CREATE TRIGGER consult_status_au AFTER UPDATE OF status ON consults FOR EACH ROW
        WHEN (OLD.status IS DISTINCT FROM NEW.status) EXECUTE FUNCTION consult_status_changed()`);
      await q.query('CREATE TRIGGER consult_status_at AFTER TRUNCATE ON consults FOR EACH STATEMENT EXECUTE FUNCTION consult_status_emptied()');
      // The triggers lock out writers until the migration commits, so the fill below misses none.
    } else {
      const add = (status: string, n: number) => `INSERT INTO consult_status_counts (status, value) VALUES (${status}, ${n})
        ON CONFLICT (status) DO UPDATE SET value = value + ${n}`;
      await q.query(`CREATE TRIGGER consult_status_ai AFTER INSERT ON consults BEGIN ${add('NEW.status', 1)}; END`);
      await q.query(`CREATE TRIGGER consult_status_ad AFTER DELETE ON consults BEGIN ${add('OLD.status', -1)}; END`);
      await q.query(`CREATE TRIGGER consult_status_au AFTER UPDATE OF status ON consults WHEN OLD.status IS NOT NEW.status BEGIN
        ${add('OLD.status', -1)}; ${add('NEW.status', 1)}; END`);
    }
    await q.query('INSERT INTO consult_status_counts (status, value) SELECT status, COUNT(*) FROM consults GROUP BY status');
  }

  async down(q: QueryRunner): Promise<void> {
    const postgres = q.connection.options.type === 'postgres';
    for (const trigger of ['consult_status_ai', 'consult_status_ad', 'consult_status_au', ...(postgres ? ['consult_status_at'] : [])]) {
      await q.query(`DROP TRIGGER IF EXISTS ${trigger}${postgres ? ' ON consults' : ''}`);
    }
    if (postgres) {
      await q.query('DROP FUNCTION IF EXISTS consult_status_added(), consult_status_removed(), consult_status_changed(), consult_status_emptied()');
      await q.query('DROP TABLE consult_status_deltas');
    }
    await q.query('DROP TABLE consult_status_counts');
  }
}
