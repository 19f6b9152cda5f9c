/** An entry of @holiday-jp/holiday_jp: `name` in Japanese, `name_en` in English. */
export interface HolidayJpEntry {
  name: string;
  name_en?: string;
}

/**
 * The name the secretariat reads for a national holiday. The data names a day between two
 * holidays just 「休日」; the law calls it 国民の休日. A substitute holiday is 振替休日 with the
 * holiday it replaces (「こどもの日 振替休日」), kept as the data writes it.
 */
export function nationalHolidayName(entry: HolidayJpEntry): string {
  if (entry.name === '休日') return '国民の休日';
  if (entry.name_en === 'Holiday in lieu' && !entry.name.includes('振替休日')) return `${entry.name} 振替休日`.trim();
  return entry.name;
}
