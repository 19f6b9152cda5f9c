export { AuditModule } from './audit.module';
export { AuditService } from './audit.service';
export { AuditEntry } from './entities/audit-entry.entity';
export { AUDIT_ACTION_LABELS, auditActionLabel } from './utils/audit-labels.util';
export type { AuditAction } from './entities/audit-entry.entity';
export type { AuditActor, AuditInput, AuditQuery } from './audit.service';
