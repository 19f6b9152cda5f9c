import 'reflect-metadata';
import { BadRequestException } from '@nestjs/common';
import { createValidationPipe } from '../http/validation.pipe';
import { TicketListQuery } from './api.dto';
import { FaqSearchQuery } from './faq.dto';

const pipe = createValidationPipe();
const parse = (metatype: new () => object, query: Record<string, string>) => pipe.transform(query, { type: 'query', metatype });

describe('API list query parameters', () => {
  it.each([
    ['a page number', { page: '3' }, 3],
    ['the last page allowed', { page: '100000' }, 100_000],
    ['an empty page (no filter)', { page: '' }, undefined],
  ])('takes %s', async (_name, query, page) => {
    expect(await parse(TicketListQuery, query)).toMatchObject({ page });
  });

  // A page past a safe integer reached SQLite as a float offset: SQLITE_MISMATCH, a 500.
  it.each(['0', '-1', 'abc', '1.5', '100001', '99999999999999999999', '1e30'])('refuses page=%s with a 400 naming page', async (page) => {
    const refused = await parse(TicketListQuery, { page }).catch((err: unknown) => err);
    expect(refused).toBeInstanceOf(BadRequestException);
    expect((refused as BadRequestException).getResponse()).toMatchObject({ field: 'page' });
  });

  it('bounds the FAQ search offset the same way', async () => {
    expect(await parse(FaqSearchQuery, { offset: '1000000' })).toMatchObject({ offset: 1_000_000 });
    const refused = await parse(FaqSearchQuery, { offset: '99999999999999999999' }).catch((err: unknown) => err);
    expect((refused as BadRequestException).getResponse()).toMatchObject({ field: 'offset' });
  });
});
