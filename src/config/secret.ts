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
