import { NotFoundError } from '@kkd/core';
import { ParseIdPipe } from './id-param.decorator';

describe('a record id in the path', () => {
  const pipe = new ParseIdPipe('consult');

  it.each([['1', 1], ['42', 42], ['2147483647', 2_147_483_647]])('reads %s as %i', (value, id) => expect(pipe.transform(value)).toBe(id));

  it.each([['letters', 'abc'], ['empty', ''], ['zero', '0'], ['negative', '-1'], ['leading zero', '007'], ['decimal', '1.5'], ['exponent', '1e3'], ['past a 4-byte integer', '2147483648'], ['huge', '99999999999999999999']])(
    'names no record for %s: not found', (_name, value) => {
      expect(() => pipe.transform(value)).toThrow(NotFoundError);
      expect(() => pipe.transform(value)).toThrow(`consult ${value} not found`);
    },
  );
});
