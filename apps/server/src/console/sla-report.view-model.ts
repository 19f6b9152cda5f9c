import { stringify } from 'csv-stringify/sync';
import { formatJst } from '@kkd/core';
import { FirstResponseOutcome, NO_RESPONSE_LABEL, SlaMonthReport } from '@kkd/sla';

export const OUTCOME_LABELS: Record<FirstResponseOutcome, string> = {
  on_time: '期限内', late: '期限後', overdue: '未回答（期限超過）', pending: '未回答（期限前）', no_response: NO_RESPONSE_LABEL,
};

const hours = (minutes: number | null) => (minutes === null ? '—' : `${(minutes / 60).toFixed(1)} 時間`);

/** The 12-month trend as SVG geometry: bars for consults received, a line for the on-time rate. */
export function trendChart(trend: SlaMonthReport['trend']) {
  const [width, height, left, bottom, top] = [720, 240, 40, 30, 16];
  const plotHeight = height - bottom - top;
  const max = Math.max(1, ...trend.map((t) => t.received));
  const step = (width - left) / trend.length;
  const bars = trend.map((t, i) => {
    const h = Math.round((t.received / max) * plotHeight);
    return { x: Math.round(left + i * step + step * 0.15), y: height - bottom - h, width: Math.round(step * 0.7), height: h, received: t.received, label: `${Number(t.month.slice(5))}月`, labelX: Math.round(left + i * step + step / 2) };
  });
  // A dot per month with a rate (one month alone draws no line), joined by a line.
  const dots = trend.flatMap((t, i) => (t.onTimeRate === null ? [] : [{
    cx: Math.round(left + i * step + step / 2), cy: Math.round(height - bottom - (t.onTimeRate / 100) * plotHeight), label: `${t.month}: ${t.onTimeRate}%`,
  }]));
  const points = dots.map((d) => `${d.cx},${d.cy}`).join(' ');
  return { width, height, baseline: height - bottom, top, left, max, bars, dots, points, rows: trend.map((t) => ({ month: t.month, received: t.received, onTimeRate: t.onTimeRate === null ? '—' : `${t.onTimeRate}%` })) };
}

export function slaReportPage(report: SlaMonthReport) {
  return {
    month: report.month, received: report.received, decided: report.decided, onTime: report.onTime, late: report.late, overdue: report.overdue,
    pending: report.pending, noResponse: report.noResponse, onTimeRate: report.onTimeRate === null ? '—' : `${report.onTimeRate}%`,
    median: hours(report.medianBusinessMinutes), p90: hours(report.p90BusinessMinutes),
    breaches: report.breaches.map((b) => ({ number: b.number, subject: b.subject, receivedAt: formatJst(b.receivedAt), firstDueAt: formatJst(b.firstDueAt), firstResponseAt: b.firstResponseAt ? formatJst(b.firstResponseAt) : '未回答', outcome: OUTCOME_LABELS[b.outcome], expert: b.expert ?? '—' })),
    byExpert: report.byExpert.map((e) => ({ ...e, onTimeRate: e.onTimeRate === null ? '—' : `${e.onTimeRate}%`, median: hours(e.medianBusinessMinutes), p90: hours(e.p90BusinessMinutes) })),
    chart: trendChart(report.trend),
  };
}

/** One row per consult received in the month; UTF-8 with BOM and CRLF so Excel reads the Japanese. */
export function slaReportCsv(report: SlaMonthReport): Buffer {
  const rows = report.consults.map((c) => [
    `KKD#${c.number}`, c.subject, formatJst(c.receivedAt), formatJst(c.firstDueAt), c.firstResponseAt ? formatJst(c.firstResponseAt) : '',
    c.businessMinutes ?? '', c.expert ?? '', OUTCOME_LABELS[c.outcome],
  ]);
  const csv = stringify(rows, {
    header: true, record_delimiter: 'windows',
    columns: ['受付番号', '件名', '受付日時', '初回回答期限', '初回回答日時', '初回回答までの営業時間（分）', '初回回答者', '判定'],
  });
  return Buffer.concat([Buffer.from('\uFEFF'), Buffer.from(csv, 'utf8')]);
}
