import { personOfShift, shiftIndexAt } from './rotation-layer';
import type { OnCallPerson, OnCallSchedule } from './schedule';

/**
 * Who is on call at instant `t` (epoch ms): the last override covering `t`, else the highest layer that
 * has started, else nobody.
 */
export function onCallAt(schedule: OnCallSchedule, t: number): OnCallPerson | null {
  const covering = overrideAt(schedule, t);
  if (covering) return covering;
  for (let i = schedule.layers.length - 1; i >= 0; i--) {
    const layer = schedule.layers[i]!;
    const k = shiftIndexAt(layer, schedule.timeZone, t);
    const person = k === null ? undefined : personOfShift(layer, k);
    if (person) return person;
  }
  return null;
}

/** The person of the last override covering `t`, if any. */
export function overrideAt(schedule: OnCallSchedule, t: number): OnCallPerson | null {
  for (let i = schedule.overrides.length - 1; i >= 0; i--) {
    const o = schedule.overrides[i]!;
    if (o.from <= t && t < o.to) return o.person;
  }
  return null;
}
