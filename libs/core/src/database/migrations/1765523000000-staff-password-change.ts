import { MigrationInterface, QueryRunner, TableColumn } from 'typeorm';

/**
 * A password the product generated (console creation, the first admin without ADMIN_PASSWORD)
 * must be replaced by the person at their next sign-in. Accounts an admin created in the console
 * before this migration whose password was never changed since still hold the one-time password
 * that was shown on screen: they are flagged too (the audit log says which they are).
 */
export class StaffPasswordChange1765523000000 implements MigrationInterface {
  name = 'StaffPasswordChange1765523000000';

  async up(q: QueryRunner): Promise<void> {
    await q.addColumn('staff_users', new TableColumn({ name: 'must_change_password', type: 'boolean', isNullable: false, default: false }));
    await q.query(`
      UPDATE staff_users SET must_change_password = TRUE
      WHERE password_hash IS NOT NULL
        AND EXISTS (SELECT 1 FROM audit_log a WHERE a.action = 'staff.created' AND a.target_type = 'staff'
          AND a.target_id = CAST(staff_users.id AS varchar) AND a.details LIKE '%"via":"console"%')
        AND NOT EXISTS (SELECT 1 FROM audit_log p WHERE p.action = 'staff.password_changed' AND p.target_type = 'staff'
          AND p.target_id = CAST(staff_users.id AS varchar))`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.dropColumn('staff_users', 'must_change_password');
  }
}
