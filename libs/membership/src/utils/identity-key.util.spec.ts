import { identityKey } from './identity-key.util';

const MEMBER = {
  company: 'ひまわり精機株式会社', department: '情報システム部', contactName: '山田 太郎', phone: '03-1234-5678', postalCode: '100-0001',
  address: '東京都千代田区千代田1-1', emails: ['soc@himawari.example.jp', 'it@himawari.example.jp'],
};

describe('identityKey', () => {
  it('is the same for the same details, whatever the order of the addresses or their shape', () => {
    expect(identityKey({ ...MEMBER, emails: [...MEMBER.emails].reverse().map((address) => ({ address })) })).toBe(identityKey(MEMBER));
  });

  it('treats a missing optional detail as null', () => {
    expect(identityKey({ ...MEMBER, department: null })).toBe(identityKey({ ...MEMBER, department: undefined as unknown as null }));
  });

  it.each([
    ['company', { company: 'さくら物産株式会社' }],
    ['department', { department: '総務部' }],
    ['contact name', { contactName: '佐藤 花子' }],
    ['phone', { phone: '06-9876-5432' }],
    ['postal code', { postalCode: '530-0001' }],
    ['address', { address: '大阪府大阪市北区梅田1-1' }],
    ['an address added', { emails: [...MEMBER.emails, 'csirt@himawari.example.jp'] }],
    ['an address removed', { emails: [MEMBER.emails[0]] }],
    ['a detail cleared', { department: null }],
  ])('changes with the %s', (_name, change) => {
    expect(identityKey({ ...MEMBER, ...change })).not.toBe(identityKey(MEMBER));
  });
});
