import { FaqStatus } from '../entities/faq-entry.entity';
import { FaqAction, nextFaqStatus } from './faq-workflow.util';

const table: Array<[FaqStatus, FaqAction, FaqStatus | null]> = [
  ['draft', 'edit', 'draft'], ['review', 'edit', 'review'], ['published', 'edit', 'draft'], ['archived', 'edit', 'draft'],
  ['draft', 'submit', 'review'], ['review', 'submit', null], ['published', 'submit', null],
  ['review', 'return', 'draft'], ['draft', 'return', null],
  ['draft', 'publish', 'published'], ['review', 'publish', 'published'], ['published', 'publish', null], ['archived', 'publish', null],
  ['draft', 'archive', 'archived'], ['published', 'archive', 'archived'], ['archived', 'archive', null],
];

describe('nextFaqStatus', () => {
  it.each(table)('%s --%s--> %s', (from, action, to) => {
    expect(nextFaqStatus(from, action)).toBe(to);
  });
});
