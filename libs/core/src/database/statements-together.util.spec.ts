import { statementsTogether } from './statements-together.util';

describe('statementsTogether', () => {
  it('gives every result in order', async () => {
    const [a, b] = await statementsTogether([Promise.resolve(1), Promise.resolve('two')]);
    expect([a, b]).toEqual([1, 'two']);
  });

  it('throws the first failure only after every statement has settled', async () => {
    let slowDone = false;
    const slow = new Promise<number>((resolve) => setTimeout(() => { slowDone = true; resolve(1); }, 20));
    await expect(statementsTogether([Promise.reject(new Error('first')), slow, Promise.reject(new Error('second'))] as const)).rejects.toThrow('first');
    expect(slowDone).toBe(true);
  });
});
