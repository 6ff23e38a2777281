/** Why a body was refused before schema validation, with the JSON path where it applies. */
export interface JsonProblem {
  error: 'invalid_json' | 'unsafe_json';
  message: string;
  path?: string;
}

const FORBIDDEN_KEYS = new Set(['__proto__', 'constructor', 'prototype']);
const MAX_DEPTH = 32;

/**
 * Finds keys that enable prototype pollution further down the line and nesting deeper than any real
 * payload has (our deepest vendor payload is 4 levels).
 */
function scan(value: unknown, path: string, depth: number): JsonProblem | null {
  if (value === null || typeof value !== 'object') return null;
  if (depth > MAX_DEPTH)
    return { error: 'unsafe_json', message: `nesting deeper than ${MAX_DEPTH} levels`, path };
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      const p = scan(value[i], `${path}[${i}]`, depth + 1);
      if (p) return p;
    }
    return null;
  }
  for (const key of Object.keys(value)) {
    const keyPath = path ? `${path}.${key}` : key;
    if (FORBIDDEN_KEYS.has(key))
      return { error: 'unsafe_json', message: `forbidden key "${key}"`, path: keyPath };
    const p = scan((value as Record<string, unknown>)[key], keyPath, depth + 1);
    if (p) return p;
  }
  return null;
}

export function parseJson(body: Buffer): { ok: true; value: unknown } | { ok: false; problem: JsonProblem } {
  let value: unknown;
  try {
    value = JSON.parse(body.toString('utf8'));
  } catch (err) {
    return {
      ok: false,
      problem: { error: 'invalid_json', message: `body is not valid JSON: ${(err as Error).message}` },
    };
  }
  const problem = scan(value, '', 0);
  return problem ? { ok: false, problem } : { ok: true, value };
}
