import { Injectable } from '@nestjs/common';
import { stringify } from 'csv-stringify/sync';
import { TransactionRunner } from '@kkd/core';
import { UsageService } from './usage.service';
import { MonthUsage } from './usage.types';
import { chargeOf } from './utils/billing-amount.util';
import { billingRows } from './utils/billing-rows.util';

export const BILLING_CSV_COLUMNS = ['対象月', '行種別', '会員ID', 'ニックネーム', '受付番号', '受付日', '件数', '単価（円）', '消費税（円）', '金額（円）'];

/**
 * The billing export of a month: one row per consult decided billable, then a total row per
 * member; undecided candidates and waived ones are not billed. UTF-8 with BOM and CRLF (Excel).
 */
@Injectable()
export class BillingExportService {
  constructor(private readonly usage: UsageService, private readonly tx: TransactionRunner) {}

  async csv(month: string): Promise<{ csv: Buffer; usage: MonthUsage }> {
    const usage = await this.usage.month(month, this.tx.readManager);
    const rows = billingRows(usage.candidates, chargeOf(usage.unitPriceYen, usage.taxRateBp)).map((r) => [
      month, r.kind === 'item' ? '明細' : '会員合計', r.clubId, r.nickname, r.number === null ? '' : `KKD#${r.number}`, r.receivedDate ?? '',
      r.count, r.price, r.tax, r.amount,
    ]);
    const text = stringify(rows, { header: true, columns: BILLING_CSV_COLUMNS, record_delimiter: 'windows' });
    return { csv: Buffer.concat([Buffer.from('\uFEFF'), Buffer.from(text, 'utf8')]), usage };
  }
}
