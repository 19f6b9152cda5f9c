import { Injectable } from '@nestjs/common';
import { collectDefaultMetrics, Gauge, Registry } from 'prom-client';
import { DataSource } from 'typeorm';
import { IntakeService } from '@kkd/inbox';

type Row = Record<string, string | number | null>;

/**
 * The Prometheus figures: mail taken in by this process (a counter since start), and from the
 * database, the same on every instance: outbox depth, consults by status and open ones by SLA
 * state, held mail. Counts only: nothing that names a member.
 */
@Injectable()
export class MetricsService {
  private readonly registry = new Registry();

  constructor(dataSource: DataSource, intake: IntakeService) {
    collectDefaultMetrics({ register: this.registry, prefix: 'kkd_' });
    const grouped = async (gauge: Gauge<string>, label: string, sql: string) => {
      gauge.reset();
      for (const row of (await dataSource.query(sql)) as Row[]) gauge.set({ [label]: String(row.k) }, Number(row.n));
    };
    new Gauge({
      name: 'kkd_intake_messages_total', help: 'Mail taken in by this process since start, by outcome', labelNames: ['outcome'], registers: [this.registry],
      collect() {
        this.reset();
        for (const [outcome, n] of intake.outcomes) this.set({ outcome }, n);
      },
    });
    new Gauge({
      name: 'kkd_outbox_mails', help: 'Outbound mails by delivery status (queued is the outbox depth)', labelNames: ['status'], registers: [this.registry],
      collect() { return grouped(this, 'status', 'SELECT status AS k, COUNT(*) AS n FROM outbound_mails GROUP BY status'); },
    });
    new Gauge({
      name: 'kkd_consults', help: 'Consults by status (merged duplicates left out)', labelNames: ['status'], registers: [this.registry],
      collect() { return grouped(this, 'status', 'SELECT status AS k, COUNT(*) AS n FROM consults WHERE merged_into_id IS NULL GROUP BY status'); },
    });
    new Gauge({
      name: 'kkd_consults_open_by_sla_state', help: 'Open consults by SLA state', labelNames: ['state'], registers: [this.registry],
      collect() {
        return grouped(this, 'state', "SELECT sla_state AS k, COUNT(*) AS n FROM consults WHERE status IN ('new', 'open', 'waiting_member') AND merged_into_id IS NULL GROUP BY sla_state");
      },
    });
    new Gauge({
      name: 'kkd_held_mails', help: 'Held mail by status and reason', labelNames: ['status'], registers: [this.registry],
      collect() { return grouped(this, 'status', "SELECT status || ':' || reason AS k, COUNT(*) AS n FROM held_mails GROUP BY status, reason"); },
    });
  }

  get contentType(): string {
    return this.registry.contentType;
  }

  render(): Promise<string> {
    return this.registry.metrics();
  }
}
