/** Free-mail providers: a member writing from one does not make the provider identifying. */
const SHARED_MAIL_DOMAINS = new Set([
  'gmail.com', 'googlemail.com', 'yahoo.co.jp', 'ymail.ne.jp', 'outlook.com', 'outlook.jp', 'hotmail.com', 'hotmail.co.jp', 'live.jp',
  'icloud.com', 'me.com', 'mac.com', 'docomo.ne.jp', 'ezweb.ne.jp', 'au.com', 'softbank.ne.jp', 'i.softbank.jp', 'nifty.com', 'biglobe.ne.jp',
]);
/** Japanese second-level domains under which an organisation's own domain has three labels. */
const JP_SECOND_LEVEL = new Set(['co', 'ne', 'or', 'ac', 'go', 'ed', 'lg', 'gr', 'ad']);

/** A mail domain and, for mail.example.co.jp style hosts, the organisation's domain above it. */
export function memberDomains(address: string): string[] {
  const domain = address.split('@')[1]?.toLowerCase().trim();
  if (!domain || SHARED_MAIL_DOMAINS.has(domain)) return [];
  const labels = domain.split('.');
  const org = labels.length >= 3 && labels.at(-1) === 'jp' && JP_SECOND_LEVEL.has(labels.at(-2)!) ? labels.slice(-3).join('.')
    : labels.length >= 2 && ['com', 'net', 'org', 'biz', 'info'].includes(labels.at(-1)!) ? labels.slice(-2).join('.') : domain;
  return [...new Set([domain, org])];
}
