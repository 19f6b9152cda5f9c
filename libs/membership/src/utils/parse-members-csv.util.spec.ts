import { MemberFields, mergeMemberRow, ParsedMember, parseMembersCsv } from './parse-members-csv.util';

const STORED: MemberFields = {
  nickname: 'まつ', emails: ['soc@matsu.example.jp'], company: '松精機株式会社', department: '情報システム部', contactName: '松田 一郎',
  phone: '03-1234-5678', postalCode: '100-0001', address: '東京都千代田区1-1', contractStart: '2027-04-01', contractEnd: '2028-03-31', status: 'suspended',
};

const rowOf = (csv: string): ParsedMember => {
  const { members, problems } = parseMembersCsv(csv);
  expect(problems).toEqual([]);
  return members[0];
};

describe('parseMembersCsv', () => {
  it.each([
    ['an empty nickname cell', ''],
    ['a blank nickname cell', '   '],
    ['a nickname of full-width spaces', '\u3000\u3000'],
  ])('says a nickname is required for %s, naming row and column', (_name, nickname) => {
    const { members, problems } = parseMembersCsv(`club_id,nickname,email,company,contract_start\nCST-1,"${nickname}",a@a.example.jp,A社,2026-04-01\n`);
    expect(members).toEqual([]);
    expect(problems).toEqual([{ row: 2, column: 'nickname', message: 'ニックネームは必須です' }]);
  });

  it('leaves the columns the file does not have undefined, and an empty optional cell null', () => {
    const row = rowOf('club_id,nickname,phone\nCST-1,まつ改,\n');
    expect(row).toMatchObject({ clubId: 'CST-1', nickname: 'まつ改', phone: null });
    for (const key of ['emails', 'company', 'department', 'contactName', 'postalCode', 'address', 'contractStart', 'contractEnd', 'status'] as const) {
      expect(row[key]).toBeUndefined();
    }
  });

  it.each([
    ['status', 'paused', 'must be one of active, suspended, cancelled, expired'],
    ['contract_start', '2026/04/01', 'must be a date YYYY-MM-DD'],
    ['phone', 'x', 'must be a phone number'],
  ])('says what a bad %s cell must be, in whole sentences', (column, value, message) => {
    const { problems } = parseMembersCsv(`club_id,${column}\nCST-1,${value}\n`);
    expect(problems).toEqual([{ row: 2, column, message }]);
  });

  it('drops the property name class-validator puts before its own messages', () => {
    const { problems } = parseMembersCsv(`club_id,address\nCST-1,${'あ'.repeat(501)}\n`);
    expect(problems).toEqual([{ row: 2, column: 'address', message: 'must be shorter than or equal to 500 characters' }]);
  });

  it('upper-cases club IDs, so a lower-case repeat in the file is the same member', () => {
    const { members, problems } = parseMembersCsv('club_id,nickname\ncst-00101,まつ\nCST-00101,まつ改\n');
    expect(members).toEqual([]);
    expect(problems).toEqual([{ row: 3, column: 'club_id', message: 'CST-00101 is already on row 2' }]);
    expect(rowOf('club_id,nickname\ncst-00101,まつ\n').clubId).toBe('CST-00101');
  });

  it('still refuses a file without club_id', () => {
    expect(parseMembersCsv('nickname\nまつ\n').problems).toEqual([{ row: 1, column: 'club_id', message: 'required column is missing' }]);
  });
});

describe('mergeMemberRow', () => {
  const FULL = 'club_id,nickname,email,company,department,contact_name,phone,postal_code,address,contract_start,contract_end,status';
  it.each<[string, string, Partial<MemberFields>]>([
    ['keeps what a file of fewer columns leaves out', 'club_id,nickname,email,company,contract_start,status\nCST-1,まつ,soc@matsu.example.jp,松精機株式会社,2027-04-01,active',
      { department: '情報システム部', contactName: '松田 一郎', phone: '03-1234-5678', postalCode: '100-0001', address: '東京都千代田区1-1', contractEnd: '2028-03-31', status: 'active' }],
    ['clears an optional field whose cell is empty', 'club_id,department,phone\nCST-1,,', { department: null, phone: null, contactName: '松田 一郎' }],
    ['keeps the status when the column is absent', 'club_id,nickname\nCST-1,まつ改', { nickname: 'まつ改', status: 'suspended', emails: ['soc@matsu.example.jp'] }],
    ['gives one year from a moved start when contract_end is absent', 'club_id,contract_start\nCST-1,2027-10-01', { contractStart: '2027-10-01', contractEnd: '2028-09-30' }],
    ['keeps the end when the start is given unchanged', 'club_id,contract_start\nCST-1,2027-04-01', { contractEnd: '2028-03-31' }],
    ['gives one year from the start for an empty contract_end cell', 'club_id,contract_end\nCST-1,', { contractEnd: '2028-03-31' }],
    ['takes a contract_end given alone', 'club_id,contract_end\nCST-1,2029-03-31', { contractStart: '2027-04-01', contractEnd: '2029-03-31' }],
  ])('an update %s', (_name, csv, expected) => {
    const result = mergeMemberRow(rowOf(`${csv}\n`), STORED);
    expect(result).toEqual({ fields: { ...STORED, ...expected } });
  });

  it('refuses an update whose given end is before the stored start', () => {
    expect(mergeMemberRow(rowOf('club_id,contract_end\nCST-1,2027-01-31\n'), STORED)).toEqual({ problems: [{ row: 2, column: 'contract_end', message: 'is before contract_start' }] });
  });

  it('creates a member with a one-year term, status active and empty optional fields', () => {
    const result = mergeMemberRow(rowOf('club_id,nickname,email,company,contract_start\nCST-2,うめ,it@ume.example.jp,梅商事,2028-02-29\n'), null);
    expect(result).toEqual({
      fields: { nickname: 'うめ', emails: ['it@ume.example.jp'], company: '梅商事', department: null, contactName: null, phone: null, postalCode: null, address: null,
        contractStart: '2028-02-29', contractEnd: '2029-02-28', status: 'active' },
    });
    expect(mergeMemberRow(rowOf(`${FULL}\nCST-2,うめ,it@ume.example.jp,梅商事,,,,,,2026-04-01,,\n`), null)).toMatchObject({ fields: { contractEnd: '2027-03-31', status: 'active' } });
  });

  it('refuses a new member without the required columns, naming row and each column', () => {
    const result = mergeMemberRow(rowOf('club_id,nickname,phone\nCST-2,うめ,03-1111-2222\n'), null);
    expect(result).toEqual({ problems: [
      { row: 2, column: 'email', message: expect.stringContaining('メールアドレスは必須です') },
      { row: 2, column: 'company', message: expect.stringContaining('会社名は必須です') },
      { row: 2, column: 'contract_start', message: expect.stringContaining('契約開始日は必須です') },
    ] });
  });
});
