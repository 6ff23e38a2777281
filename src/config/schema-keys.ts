import type { z } from 'zod';

type AnySchema = z.core.$ZodType;

/** Follows wrappers (default, optional, pipe, …) down to the schema that does the work. */
function unwrap(s: AnySchema): AnySchema {
  const def = s._zod.def as unknown as Record<string, unknown>;
  for (const k of ['innerType', 'in'] as const) {
    if (def[k]) return unwrap(def[k] as AnySchema);
  }
  return s;
}

function child(s: AnySchema, seg: PropertyKey): AnySchema | undefined {
  const def = unwrap(s)._zod.def as unknown as Record<string, unknown>;
  if (def.type === 'object') return (def.shape as Record<string, AnySchema>)[String(seg)];
  if (def.type === 'array') return def.element as AnySchema;
  if (def.type === 'record') return def.valueType as AnySchema;
  if (def.type === 'union') {
    for (const o of def.options as AnySchema[]) {
      const c = child(o, seg);
      if (c) return c;
    }
  }
  return undefined;
}

/** The keys an object schema accepts at `path`, for "did you mean" hints on unknown keys. */
export function keysAt(schema: AnySchema, path: PropertyKey[]): string[] {
  let s: AnySchema | undefined = schema;
  for (const seg of path) {
    s = s && child(s, seg);
  }
  if (!s) return [];
  const def = unwrap(s)._zod.def as unknown as Record<string, unknown>;
  return def.type === 'object' ? Object.keys(def.shape as object) : [];
}

/** Levenshtein distance, small strings only. */
function distance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    let prev = row[0]!;
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const tmp = row[j]!;
      row[j] = Math.min(
        row[j]! + 1,
        row[j - 1]! + 1,
        prev + (a[i - 1]!.toLowerCase() === b[j - 1]!.toLowerCase() ? 0 : 1),
      );
      prev = tmp;
    }
  }
  return row[b.length]!;
}

/** The closest known key, if it is close enough to be a likely typo. */
export function suggest(unknown: string, known: string[]): string | undefined {
  let best: string | undefined;
  let bestD = Infinity;
  for (const k of known) {
    const d = distance(unknown, k);
    if (d < bestD) [best, bestD] = [k, d];
  }
  return best !== undefined && bestD <= Math.max(2, Math.floor(unknown.length / 3)) ? best : undefined;
}
