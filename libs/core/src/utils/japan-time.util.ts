const formatter = new Intl.DateTimeFormat('ja-JP', {
  timeZone: 'Asia/Tokyo', year: 'numeric', month: '2-digit', day: '2-digit', weekday: 'short',
  hour: '2-digit', minute: '2-digit', hourCycle: 'h23',
});

/** "2026/11/20(金) 18:30" in Asia/Tokyo, whatever the server's time zone. */
export function formatJst(instant: Date): string {
  const p = Object.fromEntries(formatter.formatToParts(instant).map((x) => [x.type, x.value]));
  return `${p.year}/${p.month}/${p.day}(${p.weekday}) ${p.hour}:${p.minute}`;
}

/** ISO-8601 with the +09:00 offset, e.g. 2026-11-26T17:00:00+09:00. */
export function toJstIso(instant: Date): string {
  const shifted = new Date(instant.getTime() + 9 * 3600_000);
  return shifted.toISOString().replace(/\.\d{3}Z$/, '+09:00');
}
