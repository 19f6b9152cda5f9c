import { EntityManager } from 'typeorm';
import { statementsTogether } from './statements-together.util';

const on = (type: string) => ({ connection: { options: { type } } }) as unknown as EntityManager;

describe('statementsTogether', () => {
  it('gives every result in order', async () => {
    const [a, b, c] = await statementsTogether(on('sqlite'), [() => Promise.resolve(1), () => 'two', () => null]);
    expect([a, b, c]).toEqual([1, 'two', null]);
  });

  it('on SQLite starts them all at once, and throws the first failure only after every one has settled', async () => {
    const started: string[] = [];
    let slowDone = false;
    const slow = () => new Promise<number>((resolve) => { started.push('slow'); setTimeout(() => { slowDone = true; resolve(1); }, 20); });
    const failing = (name: string) => () => { started.push(name); return Promise.reject(new Error(name)); };
    await expect(statementsTogether(on('sqlite'), [failing('first'), slow, failing('second')])).rejects.toThrow('first');
    expect(started).toEqual(['first', 'slow', 'second']);
    expect(slowDone).toBe(true);
  });

  it('on PostgreSQL runs them one after the other, in order, and stops at a failure', async () => {
    const events: string[] = [];
    const step = (name: string, fail = false) => async () => {
      events.push(`start ${name}`);
      await new Promise((resolve) => setTimeout(resolve, 5));
      events.push(`end ${name}`);
      if (fail) throw new Error(name);
      return name;
    };
    expect(await statementsTogether(on('postgres'), [step('a'), step('b')])).toEqual(['a', 'b']);
    expect(events).toEqual(['start a', 'end a', 'start b', 'end b']);
    events.length = 0;
    await expect(statementsTogether(on('postgres'), [step('a', true), step('b')])).rejects.toThrow('a');
    expect(events).toEqual(['start a', 'end a']);
  });
});
