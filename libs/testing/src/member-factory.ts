/** A members CSV (INTERFACES.md) for the given rows; unspecified columns get plausible values. */
export function membersCsv(rows: { clubId: string; nickname: string; email: string; status?: string; company?: string }[]): string {
  const header = 'club_id,nickname,email,company,contact_name,contract_start,status';
  return [header, ...rows.map((r) => [r.clubId, r.nickname, r.email, r.company ?? `${r.nickname}株式会社`, '山田 太郎', '2026-04-01', r.status ?? 'active'].join(','))].join('\n') + '\n';
}
