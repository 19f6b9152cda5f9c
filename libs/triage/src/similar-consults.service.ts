import { Injectable } from '@nestjs/common';
import { Consult, ConsultRepository } from '@kkd/consults';
import { comparableText } from './utils/comparable-text.util';
import { similarity, textShingles } from './utils/text-similarity.util';

/** Past consults looked at per page view: the newest finished ones of the same category. */
const PAST_CANDIDATES = 200;
/** Enough of what a mail says to compare (after its greeting, signature and quoted history are gone). */
const COMPARED_CHARS = 1_500;
const SIMILAR_MIN = 0.25;
const DUPLICATE_MIN = 0.5;
const DUPLICATE_WINDOW_MS = 72 * 3600_000;

export interface SimilarConsult {
  number: number;
  subject: string;
  status: Consult['status'];
  receivedAt: Date;
  /** 0..1 */
  score: number;
}

/** Suggestions on the consult page: similar past consults, and possible duplicates to merge. */
@Injectable()
export class SimilarConsultsService {
  constructor(private readonly consults: ConsultRepository) {}

  /** Finished consults of the same category that read alike, best first. */
  async similarPast(consult: Consult, limit = 5): Promise<SimilarConsult[]> {
    const past = await this.consults.finishedInCategory(consult.category, consult.id, PAST_CANDIDATES);
    return (await this.rank(consult, past, SIMILAR_MIN)).slice(0, limit);
  }

  /** The same member's consults within 72 hours that read alike: candidates for a merge. */
  async possibleDuplicates(consult: Consult): Promise<SimilarConsult[]> {
    const at = consult.receivedAt.getTime();
    const around = await this.consults.memberConsultsBetween(consult.memberId, new Date(at - DUPLICATE_WINDOW_MS), new Date(at + DUPLICATE_WINDOW_MS), consult.id);
    return this.rank(consult, around, DUPLICATE_MIN);
  }

  private async rank(consult: Consult, others: Consult[], min: number): Promise<SimilarConsult[]> {
    if (others.length === 0) return [];
    const texts = await this.consults.openingTexts([consult.id, ...others.map((c) => c.id)]);
    // Only what the member wrote about this consult: text every mail of theirs shares would make any two alike.
    const shingles = (c: Consult) => textShingles(comparableText(c.subject, texts.get(c.id) ?? '').slice(0, COMPARED_CHARS));
    const mine = shingles(consult);
    return others
      .map((c) => ({ number: c.number, subject: c.subject, status: c.status, receivedAt: c.receivedAt, score: similarity(mine, shingles(c)) }))
      .filter((s) => s.score >= min)
      .sort((a, b) => b.score - a.score || b.number - a.number);
  }
}
