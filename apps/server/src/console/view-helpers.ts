import fs from 'fs';
import hbs from 'hbs';
import path from 'path';
import { CATEGORY_LABELS, PRIORITY_LABELS, STATUS_LABELS } from '@kkd/consults';
import { formatJst } from '@kkd/core';

/** Handlebars helpers for console pages; every one returns text that Handlebars escapes. */
export function registerViewHelpers(): void {
  hbs.registerHelper('jst', (d: Date | null | undefined) => (d ? formatJst(new Date(d)) : '—'));
  hbs.registerHelper('statusLabel', (s: keyof typeof STATUS_LABELS) => STATUS_LABELS[s] ?? s);
  hbs.registerHelper('priorityLabel', (p: keyof typeof PRIORITY_LABELS) => PRIORITY_LABELS[p] ?? p);
  hbs.registerHelper('categoryLabel', (c: keyof typeof CATEGORY_LABELS) => CATEGORY_LABELS[c] ?? c);
  hbs.registerHelper('outboundStatusLabel', (s: string) => ({ queued: '送信待ち', sent: '送信済み', failed: '送信失敗', bounced: '不達' } as Record<string, string>)[s] ?? s);
  hbs.registerHelper('eq', (a: unknown, b: unknown) => a === b);
  hbs.registerHelper('percent', (x: number) => `${Math.round(x * 100)}%`);
  hbs.registerHelper('kb', (bytes: number) => `${Math.max(1, Math.round(bytes / 1024)).toLocaleString('ja-JP')} KB`);
}

/**
 * Registers every partial under its file name, synchronously, before the first page is served
 * (hbs's own registerPartials reads asynchronously and renames "field-error" to "field_error").
 */
export function registerPartials(dir: string): void {
  for (const file of fs.readdirSync(dir).filter((f) => f.endsWith('.hbs'))) {
    hbs.registerPartial(path.basename(file, '.hbs'), fs.readFileSync(path.join(dir, file), 'utf8'));
  }
}
