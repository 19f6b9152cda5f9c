import iconv from 'iconv-lite';
import { decodeMembersCsv } from './decode-members-csv.util';

const CSV = 'club_id,nickname,email,company,contract_start\nCST-1,abc,a@a.example.jp,A,2026-04-01\nCST-2,れんげ,b@b.example.jp,B社,2026-04-01\n';

describe('decodeMembersCsv', () => {
  it.each([
    ['UTF-8 as utf8', Buffer.from(CSV), 'utf8'],
    ['Shift_JIS (CP932 characters included) as sjis', iconv.encode(CSV.replace('れんげ', '髙橋①'), 'cp932'), 'sjis'],
    ['plain ASCII as sjis', Buffer.from(CSV.replace('れんげ', 'renge').replace('B社', 'B')), 'sjis'],
  ] as const)('reads %s', (_name, bytes, encoding) => {
    expect(decodeMembersCsv(bytes, encoding)).toEqual({ text: iconv.decode(bytes, encoding === 'sjis' ? 'cp932' : 'utf8') });
  });

  it('refuses UTF-8 read as Shift_JIS, naming the first non-ASCII cell', () => {
    expect(decodeMembersCsv(Buffer.from(CSV), 'sjis')).toEqual({
      problem: { row: 3, column: 'nickname', message: 'looks like UTF-8, not Shift_JIS: drop --encoding sjis' },
    });
  });

  it('refuses bytes that are not Shift_JIS, naming the cell', () => {
    const bytes = Buffer.concat([Buffer.from('club_id,nickname\nCST-1,'), Buffer.from([0x82, 0xa0, 0x85, 0x40]), Buffer.from('\n')]);
    expect(decodeMembersCsv(bytes, 'sjis')).toEqual({ problem: { row: 2, column: 'nickname', message: 'is not valid Shift_JIS (CP932)' } });
  });

  it('refuses Shift_JIS read as UTF-8, naming the cell', () => {
    expect(decodeMembersCsv(iconv.encode(CSV, 'cp932'), 'utf8')).toEqual({
      problem: { row: 3, column: 'nickname', message: 'is not valid UTF-8 (use --encoding sjis for Shift_JIS)' },
    });
  });
});
