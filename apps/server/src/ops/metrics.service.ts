import { Injectable, Logger } from '@nestjs/common';
import { collectDefaultMetrics, Counter, Gauge, Registry } from 'prom-client';
import { DataSource } from 'typeorm';
import { CONSULT_STATUSES, SLA_STATES } from '@kkd/consults';
import { isDatabaseUnavailable } from '@kkd/core';
import { IntakeService, RetentionService } from '@kkd/inbox';
import type { OutboundStatus } from '@kkd/mail';

type Row = Record<string, string | number | null>;

/** Every delivery status, so an empty queue reads `queued 0` instead of vanishing (the compiler checks the list). */
const OUTBOX_STATUSES = Object.keys({ queued: 0, sent: 0, failed: 0, bounced: 0 } satisfies Record<OutboundStatus, 0>);

/** A figure read from the database: rows of (k, n), with the label values always reported (0 when absent). */
interface DatabaseFigure {
  gauge: Gauge<string>;
  label: string;
  known: readonly string[];
  sql: string;
}

/**
 * The Prometheus figures: mail taken in by this process (a counter since start), and from the
 * database, the same on every instance: outbox depth, consults by status and open ones by SLA
 * state, held mail. Counts only: nothing that names a member. The process figures are served
 * even when the database is away; its figures are then left out and `kkd_database_up` is 0.
 */
@Injectable()
export class MetricsService {
  private readonly logger = new Logger(MetricsService.name);
  private readonly registry = new Registry();
  private readonly databaseUp: Gauge;
  private readonly figures: DatabaseFigure[];

  constructor(private readonly dataSource: DataSource, intake: IntakeService, retention: RetentionService) {
    collectDefaultMetrics({ register: this.registry, prefix: 'kkd_' });
    new Counter({
      name: 'kkd_intake_messages_total', help: 'Mail taken in by this process since start, by outcome', labelNames: ['outcome'], registers: [this.registry],
      collect() {
        this.reset();
        for (const [outcome, n] of intake.outcomes) this.inc({ outcome }, n);
      },
    });
    new Counter({
      name: 'kkd_retention_deleted_total', help: 'Deleted by this process for the retention period since start: attachment rows, raw sources, files', labelNames: ['kind'], registers: [this.registry],
      collect() {
        this.reset();
        for (const kind of ['attachment', 'raw_source', 'file'] as const) this.inc({ kind }, retention.totals.get(kind) ?? 0);
      },
    });
    this.databaseUp = new Gauge({
      name: 'kkd_database_up', help: '1 when this scrape read the database figures, 0 when it could not (they are then left out)', registers: [this.registry],
    });
    const figure = (name: string, help: string, label: string, sql: string, known: readonly string[] = []): DatabaseFigure => ({
      gauge: new Gauge({ name, help, labelNames: [label], registers: [this.registry] }), label, known, sql,
    });
    this.figures = [
      figure('kkd_outbox_mails', 'Outbound mails by delivery status (queued is the outbox depth)', 'status',
        'SELECT status AS k, COUNT(*) AS n FROM outbound_mails GROUP BY status', OUTBOX_STATUSES),
      figure('kkd_consults', 'Consults by status (merged duplicates left out)', 'status',
        'SELECT status AS k, COUNT(*) AS n FROM consults WHERE merged_into_id IS NULL GROUP BY status', CONSULT_STATUSES),
      figure('kkd_consults_open_by_sla_state', 'Open consults by SLA state', 'state',
        "SELECT sla_state AS k, COUNT(*) AS n FROM consults WHERE status IN ('new', 'open', 'waiting_member') AND merged_into_id IS NULL GROUP BY sla_state", SLA_STATES),
      figure('kkd_held_mails', 'Held mail by status and reason', 'status',
        "SELECT status || ':' || reason AS k, COUNT(*) AS n FROM held_mails GROUP BY status, reason"),
    ];
  }

  get contentType(): string {
    return this.registry.contentType;
  }

  async render(): Promise<string> {
    await this.readDatabase();
    return this.registry.metrics();
  }

  /** All database figures or none: a scrape never mixes fresh counts with stale ones. */
  private async readDatabase(): Promise<void> {
    let results: Row[][];
    try {
      results = await Promise.all(this.figures.map((f) => this.dataSource.query(f.sql) as Promise<Row[]>));
    } catch (err) {
      for (const f of this.figures) f.gauge.reset();
      this.databaseUp.set(0);
      const reason = err instanceof Error ? err.message : String(err);
      if (isDatabaseUnavailable(err)) this.logger.warn(`database figures left out, the database is unreachable: ${reason}`);
      else this.logger.error(`database figures left out: ${reason}`);
      return;
    }
    this.figures.forEach((f, i) => {
      f.gauge.reset();
      for (const k of f.known) f.gauge.set({ [f.label]: k }, 0);
      for (const row of results[i]) f.gauge.set({ [f.label]: String(row.k) }, Number(row.n));
    });
    this.databaseUp.set(1);
  }
}
