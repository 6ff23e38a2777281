import { instantOf, offsetAt } from '../sla/zoned-time';
import type { OnCallPerson, RotationLayer } from './schedule';

const DAY_MS = 86_400_000;

/**
 * The first handover as a "naive" wall-clock reading: epoch ms whose UTC fields are the local date and
 * time. Shifts are counted on this wall clock, so a weekly Monday 09:00 handover stays 09:00 local in
 * the weeks of the DST changes (the instants between two handovers are then 167 or 169 hours apart).
 */
function firstHandoverWallClock(layer: RotationLayer): number {
  const [year = 1970, month = 1, day = 1] = layer.startDate.split('-').map(Number);
  const [hour = 0, minute = 0] = layer.handoverTime.split(':').map(Number);
  const wall = Date.UTC(year, month - 1, day, hour, minute);
  if (layer.handoverDay === undefined) return wall;
  return wall + ((layer.handoverDay - new Date(wall).getUTCDay() + 7) % 7) * DAY_MS;
}

/** The instant of handover `k` (k = 0 is the first; negative k lie before the rotation starts). */
export function handoverAt(layer: RotationLayer, timeZone: string, k: number): number {
  const wall = new Date(firstHandoverWallClock(layer) + k * layer.lengthSeconds * 1000);
  return instantOf(
    wall.getUTCFullYear(),
    wall.getUTCMonth() + 1,
    wall.getUTCDate(),
    wall.getUTCHours() * 60 + wall.getUTCMinutes(),
    timeZone,
  );
}

/** Which shift of the layer holds instant `t`; null before the first handover. */
export function shiftIndexAt(layer: RotationLayer, timeZone: string, t: number): number | null {
  const lengthMs = layer.lengthSeconds * 1000;
  // An estimate on the wall clock, then corrected against the real handover instants.
  let k = Math.floor((t + offsetAt(t, timeZone) - firstHandoverWallClock(layer)) / lengthMs);
  while (k >= 0 && handoverAt(layer, timeZone, k) > t) k--;
  while (handoverAt(layer, timeZone, k + 1) <= t) k++;
  return k < 0 ? null : k;
}

/** Who holds shift `k` of the layer. */
export function personOfShift(layer: RotationLayer, k: number): OnCallPerson | undefined {
  return layer.people[k % layer.people.length];
}

/** The layer's shifts that overlap `[from, to)`, unclipped, in order. */
export function layerShifts(
  layer: RotationLayer,
  timeZone: string,
  from: number,
  to: number,
): { person: OnCallPerson; from: number; to: number }[] {
  const out: { person: OnCallPerson; from: number; to: number }[] = [];
  let k = shiftIndexAt(layer, timeZone, from) ?? 0;
  let start = handoverAt(layer, timeZone, k);
  while (start < to) {
    const end = handoverAt(layer, timeZone, k + 1);
    const person = personOfShift(layer, k);
    if (person) out.push({ person, from: start, to: end });
    k++;
    start = end;
  }
  return out;
}
