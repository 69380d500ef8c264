// Long loops of a load or build, cut into turns of the event loop so requests are served between them (the
// index's background work must not hold a request up for more than a few milliseconds).

/** Elements a loop handles per turn: about a millisecond or two of simple work. */
export const TURN = 65_536;

/** Runs body(from, to) over [0, size) in turns of TURN elements, yielding between them. */
export async function inTurns(size: number, body: (from: number, to: number) => void): Promise<void> {
  for (let from = 0; from < size; from += TURN) {
    body(from, Math.min(size, from + TURN));
    if (from + TURN < size) await new Promise(setImmediate);
  }
}

/** Milliseconds a loop of uneven elements (texts tested: long or short, its code still cold) works per turn. */
const TURN_MS = 5;
/** Elements between two looks at the clock. */
export const STEP = 1_024;

/** Runs body(from, to) over [0, size) in steps of `step`, yielding once a turn has worked TURN_MS. */
export async function inTimedTurns(size: number, body: (from: number, to: number) => void, step = STEP): Promise<void> {
  let started = performance.now();
  for (let from = 0; from < size; from += step) {
    body(from, Math.min(size, from + step));
    if (from + step < size && performance.now() - started > TURN_MS) {
      await new Promise(setImmediate);
      started = performance.now();
    }
  }
}
