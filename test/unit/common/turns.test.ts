import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import { nextTurn } from '../../../src/core/common/turns';

function busy(ms: number): void {
  const end = performance.now() + ms;
  while (performance.now() < end);
}

describe('cooperative turns', () => {
  it('lets timers run between pieces of work that became ready together', async () => {
    const order: string[] = [];
    await new Promise<void>((done) => {
      // From an I/O callback, as a response's end is: Node runs ready immediates before timers.
      fs.readFile(__filename, () => {
        setTimeout(() => order.push('timer'), 0);
        const turns = [0, 1, 2].map((i) =>
          nextTurn().then(() => {
            busy(5);
            order.push(`turn ${i}`);
          }),
        );
        void Promise.all(turns).then(() => done());
      });
    });
    assert.deepEqual(order, ['turn 0', 'timer', 'turn 1', 'turn 2']);
  });

  it('gives every waiter its turn, in order, also when some wait while others run', async () => {
    const order: number[] = [];
    const late: Promise<void>[] = [];
    await Promise.all(
      [0, 1, 2].map((i) =>
        nextTurn().then(() => {
          order.push(i);
          if (i === 1) late.push(nextTurn().then(() => void order.push(3)));
        }),
      ),
    );
    await Promise.all(late);
    assert.deepEqual(order, [0, 1, 2, 3]);
  });
});
