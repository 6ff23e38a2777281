import { overrideAt } from './on-call-at';
import { layerShifts } from './rotation-layer';
import { samePerson, type OnCallPerson, type OnCallSchedule, type Shift } from './schedule';

/**
 * How far around the asked window shifts are followed, so that a shift overlapping the window edge is
 * reported with its real start and end. A shift longer than this (one person on call for over a year)
 * is cut at it.
 */
const LOOKAROUND_MS = 366 * 86_400_000;

/**
 * The shifts overlapping `[from, to)`: consecutive stretches of one person on call, combining layers and
 * overrides exactly as `onCallAt` does; a person who follows themselves is one shift. Gaps with nobody on
 * call yield no shift.
 */
export function shiftsBetween(schedule: OnCallSchedule, from: number, to: number): Shift[] {
  const lo = from - LOOKAROUND_MS;
  const hi = to + LOOKAROUND_MS;
  const layers = schedule.layers.map((l) => layerShifts(l, schedule.timeZone, lo, hi));
  const cuts = new Set([lo, hi]);
  const within = (t: number) => lo < t && t < hi;
  for (const s of layers.flat()) for (const t of [s.from, s.to]) if (within(t)) cuts.add(t);
  for (const o of schedule.overrides) for (const t of [o.from, o.to]) if (within(t)) cuts.add(t);
  const points = [...cuts].sort((a, b) => a - b);

  const cursor = layers.map(() => 0);
  const whoAt = (t: number): OnCallPerson | null => {
    const covering = overrideAt(schedule, t);
    if (covering) return covering;
    for (let i = layers.length - 1; i >= 0; i--) {
      const shifts = layers[i]!;
      // Pieces are visited in order, so each layer's cursor only moves forward.
      while (cursor[i]! < shifts.length && shifts[cursor[i]!]!.to <= t) cursor[i]!++;
      const s = shifts[cursor[i]!];
      if (s && s.from <= t) return s.person;
    }
    return null;
  };

  const merged: Shift[] = [];
  for (let i = 0; i + 1 < points.length; i++) {
    const [a, b] = [points[i]!, points[i + 1]!];
    const person = whoAt(a);
    if (!person) continue;
    const last = merged[merged.length - 1];
    if (last && last.to === a && samePerson(last.person, person)) last.to = b;
    else merged.push({ person, from: a, to: b });
  }
  return merged.filter((s) => s.to > from && s.from < to);
}

/**
 * The shift holding `t` (null when nobody is on call) and the next one after it (null when none is in
 * sight). A current shift with no end in sight has `to: Infinity`.
 */
export function currentAndNext(
  schedule: OnCallSchedule,
  t: number,
): { now: Shift | null; next: Shift | null } {
  const horizon = t + LOOKAROUND_MS;
  const shifts = shiftsBetween(schedule, t, horizon);
  const current = shifts.find((s) => s.from <= t && t < s.to);
  const now = current && current.to >= horizon + LOOKAROUND_MS ? { ...current, to: Infinity } : current;
  return { now: now ?? null, next: shifts.find((s) => s.from > t) ?? null };
}
