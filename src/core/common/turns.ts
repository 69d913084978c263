/**
 * Cooperative turns for CPU work that arrives in bursts (a busy sync's list pages: 16 lists in
 * flight finish together). Node runs every I/O callback that is ready in one pass of its event
 * loop, so the pages' parsing would add up into one long stall of the extension host; a piece
 * of work that waits for its turn runs alone, and timers and I/O get the loop between turns.
 */
const waiting: (() => void)[] = [];
let released = false;

/** Resolves when it is this caller's turn; what follows the await runs before the next turn. */
export function nextTurn(): Promise<void> {
  return new Promise<void>((resolve) => {
    waiting.push(resolve);
    if (!released) {
      released = true;
      setImmediate(releaseOne);
    }
  });
}

function releaseOne(): void {
  // The continuation of the released caller runs in this callback's microtasks. An immediate
  // queued from here runs on the loop's next pass, after timers and I/O.
  waiting.shift()?.();
  if (waiting.length) setImmediate(releaseOne);
  else released = false;
}

/** A job written as steps (a generator that yields where it may pause), run at once. */
export function runAtOnce<T>(steps: Generator<void, T>): T {
  let step = steps.next();
  while (!step.done) step = steps.next();
  return step.value;
}

/** The same job, a step per turn (nextTurn), so that it never holds the event loop long. */
export async function runInTurns<T>(steps: Generator<void, T>): Promise<T> {
  let step = steps.next();
  while (!step.done) {
    await nextTurn();
    step = steps.next();
  }
  return step.value;
}
