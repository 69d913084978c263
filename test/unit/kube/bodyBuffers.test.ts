import * as assert from 'node:assert/strict';
import { BodyBuffers } from '../../../src/core/kube/bodyBuffers';

describe('reusable buffers for list answers', () => {
  it('hands a buffer given back out again, the smallest that fits, and never one twice', () => {
    const buffers = new BodyBuffers(8 * 1024 * 1024, 60_000);
    try {
      const first = buffers.take(450_000);
      assert.equal(first.length, 512 * 1024, 'a power of two');
      assert.equal(buffers.take(1).length, 256 * 1024, 'the smallest');
      const large = buffers.take(3_000_000);
      buffers.give(first.subarray(0, 450_000));
      buffers.give(large);
      // Given twice (a page released twice): still only one to hand out.
      buffers.give(first);
      const again = buffers.take(300_000);
      assert.equal(again.buffer, first.buffer, 'the smallest buffer that fits, reused');
      assert.equal(again.length, 512 * 1024);
      const next = buffers.take(300_000);
      assert.equal(next.buffer, large.buffer);
      assert.notEqual(buffers.take(300_000).buffer, first.buffer, 'a buffer in use is not handed out');
      // Not one of ours: ignored.
      buffers.give(Buffer.alloc(10));
      assert.equal(buffers.keptBytes, 0);
    } finally {
      buffers.dispose();
    }
  });

  it('keeps at most what it was told to, and lets go of all of it when lists stop', async () => {
    const buffers = new BodyBuffers(1024 * 1024, 50);
    try {
      const taken = Array.from({ length: 6 }, () => buffers.take(200_000));
      for (const body of taken) buffers.give(body);
      assert.equal(buffers.keptBytes, 1024 * 1024, 'four of 256 KB kept, two let go');
      await new Promise((resolve) => setTimeout(resolve, 120));
      assert.equal(buffers.keptBytes, 0);
    } finally {
      buffers.dispose();
    }
  });
});
