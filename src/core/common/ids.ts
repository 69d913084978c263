import { randomUUID } from 'node:crypto';

/** Ids are UUIDs, never autoincrement integers: two windows merging their writes must not collide. */
export function newId(): string {
  return randomUUID();
}
