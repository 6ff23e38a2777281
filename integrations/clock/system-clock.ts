import type { Clock } from '../../src/ports/clock';

/** The wall clock: the one Clock adapter, picked by the composition root and the CLI. */
export const systemClock: Clock = { now: () => new Date() };
