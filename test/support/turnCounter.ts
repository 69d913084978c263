/** Counts the event loop's turns (a setImmediate chain), so a test can stamp work with the turn it ran in. */
export function turnCounter(): { now(): number; stop(): void } {
  let turn = 0;
  let running = true;
  const tick = () => {
    turn++;
    if (running) setImmediate(tick);
  };
  setImmediate(tick);
  return { now: () => turn, stop: () => (running = false) };
}
