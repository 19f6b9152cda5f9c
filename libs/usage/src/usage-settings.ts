import { integerSetting, textSetting } from '@kkd/core';

/** From this consult of the month on (the 3rd by default), a consult may be charged extra. */
export const USAGE_THRESHOLD = integerSetting('usage.threshold', 3, 1, 99, 'しきい値');

/** What the acknowledgement adds from the threshold on; {threshold} and {ordinal} are filled in. */
export const USAGE_NOTICE = textSetting(
  'usage.notice',
  '今月のご相談が{threshold}件以上となりました（本件は今月{ordinal}件目です）。ご契約に基づき、追加料金が発生する場合があります。詳しくは事務局からご連絡いたします。',
  1000,
  '通知文',
);

/** Extra charge per billable consult, whole yen before tax. */
export const USAGE_UNIT_PRICE_YEN = integerSetting('usage.unit_price_yen', 5000, 0, 10_000_000, '単価（円）');

/** Consumption tax rate in basis points (10% = 1000) so 8%, 10% and 10.5% are exact. */
export const USAGE_TAX_RATE_BP = integerSetting('usage.tax_rate_bp', 1000, 0, 10_000, '消費税率');

export const USAGE_SETTINGS = [USAGE_THRESHOLD, USAGE_NOTICE, USAGE_UNIT_PRICE_YEN, USAGE_TAX_RATE_BP] as const;
