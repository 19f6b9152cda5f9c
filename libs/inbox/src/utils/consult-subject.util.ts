import { normalizeSubject } from '@kkd/mail';

/** A [KKD#n] tag, half- or full-width ([KKD#1], ［ＫＫＤ＃１］), with the spaces around it. */
const TAG = /\s*[[［][KＫ][KＫ][DＤ][#＃][0-9０-９]+[\]］]\s*/gi;

/**
 * The subject of a consult opened from a mail: without reply/forward prefixes and without any
 * [KKD#n] tag, which on a new consult is another member's number or none at all (the queue would
 * show a foreign number). "Re: [KKD#1] Re: 件名" → "件名".
 */
export function consultSubject(subject: string): string {
  return normalizeSubject(normalizeSubject(subject).replace(TAG, ' ').trim());
}
