/**
 * Time source. Everything reads time through the injected Clock so that tests can move it by hand;
 * only the clock adapter (`integrations/clock/system-clock.ts`) and the CLI read the wall clock.
 */
export interface Clock {
  now(): Date;
}
