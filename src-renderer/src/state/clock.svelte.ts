/**
 * A clock that reactive code can read: `now` is Date.now(), and reading it inside an effect or a
 * template re-runs that code every second for as long as something reads it. Date.now() alone is
 * not reactive, which is why a running job's elapsed time used to stay at its first value.
 */
import { createSubscriber } from 'svelte/reactivity';

const tickMs = 1000;

export class Clock {
  readonly #subscribe = createSubscriber((update) => {
    const timer = setInterval(update, tickMs);
    return () => clearInterval(timer);
  });

  get now(): number {
    this.#subscribe();
    return Date.now();
  }
}

/** One clock for the window: every reader shares its single timer, which stops with the last. */
export const clock = new Clock();
