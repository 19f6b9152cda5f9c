import { memberDisplayName } from './display-name.util';

describe('memberDisplayName', () => {
  it('puts the nickname first and the club ID second', () => {
    expect(memberDisplayName({ nickname: 'ひまわり', clubId: 'CST-00123' })).toBe('ひまわり CST-00123');
  });
});
