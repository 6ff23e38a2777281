/**
 * The one way to put a value into a ServiceNow encoded query (`sysparm_query`). ServiceNow has no escape
 * for `^` (the condition separator; `^OR`, `^NQ` follow it) and splits `IN` lists at `,`, and a line break
 * ends the query in some releases — so a value containing one of them would change the query itself:
 * host `x^ORnameISNOTEMPTY` in `name=${host}` linked an unrelated CI (issue 12). Such values are refused,
 * never encoded: callers skip the look-up (no CI linked) or report a configuration error.
 * https://www.servicenow.com/docs/ (Table API: sysparm_query; "Encoded query strings")
 */

// eslint-disable-next-line no-control-regex -- control characters are exactly what must not pass
const UNSAFE = /[\^,\u0000-\u001f\u007f\u2028\u2029]/;

/** A value that cannot go into an encoded query; `value` is kept for the caller's log line. */
export class UnsafeQueryValueError extends Error {
  constructor(readonly value: string) {
    super(`value ${JSON.stringify(value.slice(0, 80))} contains "^", "," or a line break`);
    this.name = 'UnsafeQueryValueError';
  }
}

/** True when `value` can be put into an encoded query unchanged. */
export function isQueryValue(value: string): boolean {
  return !UNSAFE.test(value);
}

/**
 * Tagged template for encoded queries: `` encodedQuery`name=${host}^active=true` ``. The literal parts are
 * ours; every interpolated value is checked (an array becomes an `IN` list, each element checked).
 * Throws `UnsafeQueryValueError` rather than build a different query.
 */
export function encodedQuery(
  parts: TemplateStringsArray,
  ...values: (string | number | readonly string[])[]
): string {
  const checked = (value: string): string => {
    if (!isQueryValue(value)) throw new UnsafeQueryValueError(value);
    return value;
  };
  return parts.reduce((out, part, i) => {
    if (i === 0) return part;
    const value = values[i - 1]!;
    const text =
      typeof value === 'number'
        ? String(value)
        : typeof value === 'string'
          ? checked(value)
          : value.map(checked).join(',');
    return out + text + part;
  }, '');
}
