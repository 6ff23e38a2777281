import { z } from 'zod';
import { inspect } from 'node:util';

/**
 * A value that must never be printed. `String(secret)`, JSON and util.inspect all show `<secret>`;
 * only `reveal()` gives the value, at the single place that sends it to the remote system.
 */
export class Secret {
  readonly #value: string;

  constructor(value: string) {
    this.#value = value;
  }

  reveal(): string {
    return this.#value;
  }

  toString(): string {
    return '<secret>';
  }

  toJSON(): string {
    return '<secret>';
  }

  [inspect.custom](): string {
    return '<secret>';
  }
}

/**
 * Schema for a secret config field: accepts the string produced by `${VAR}` interpolation (or an existing
 * Secret) and wraps it, so the parsed config can be logged safely.
 */
export const SecretString = z.union([
  z.instanceof(Secret),
  z
    .string()
    .min(1, 'must not be empty (set the environment variable it refers to)')
    .transform((v) => new Secret(v)),
]);
