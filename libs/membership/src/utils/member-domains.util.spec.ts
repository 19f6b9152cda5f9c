import { memberDomains } from './member-domains.util';

describe('memberDomains', () => {
  it.each([
    ['a plain organisation domain', 'soc@himawari.example.jp', ['himawari.example.jp']],
    ['a mail host under co.jp: the organisation above it too', 'csirt@mail.sakura.co.jp', ['mail.sakura.co.jp', 'sakura.co.jp']],
    ['a mail host under .com', 'it@mx1.momiji.com', ['mx1.momiji.com', 'momiji.com']],
    ['free mail identifies no one', 'someone@gmail.com', []],
    ['case folded', 'SOC@Himawari.Example.JP', ['himawari.example.jp']],
  ])('%s', (_name, address, expected) => {
    expect(memberDomains(address)).toEqual(expected);
  });
});
