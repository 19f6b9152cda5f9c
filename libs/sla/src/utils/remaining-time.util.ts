/** Business minutes as staff read them: "1営業日 2時間", "3時間 20分", "45分" (a business day is 8 hours). */
export function describeBusinessMinutes(minutes: number, minutesPerDay = 480): string {
  const days = Math.floor(minutes / minutesPerDay);
  const hours = Math.floor((minutes % minutesPerDay) / 60);
  const mins = minutes % 60;
  if (days > 0) return hours > 0 ? `${days}営業日 ${hours}時間` : `${days}営業日`;
  if (hours > 0) return mins > 0 ? `${hours}時間 ${mins}分` : `${hours}時間`;
  return `${mins}分`;
}

/** "残り 1営業日 2時間" before a due time, "超過 3時間" after it (business time both ways). */
export function remainingLabel(businessMinutesBetween: (from: Date, to: Date) => number, dueAt: Date, now: Date): string {
  return now.getTime() <= dueAt.getTime()
    ? `残り ${describeBusinessMinutes(businessMinutesBetween(now, dueAt))}`
    : `超過 ${describeBusinessMinutes(businessMinutesBetween(dueAt, now))}`;
}
