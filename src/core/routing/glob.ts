/**
 * Shell-style glob (`*` any run, `?` one character), anchored and case-sensitive, as used in routing,
 * maintenance and runbook matchers. Compiled patterns are cached because routing runs per alert.
 */
const cache = new Map<string, RegExp>();

export function globToRegExp(glob: string): RegExp {
  let re = cache.get(glob);
  if (!re) {
    const body = glob
      .replace(/[.+^${}()|[\]\\]/g, '\\$&')
      .replace(/\*/g, '.*')
      .replace(/\?/g, '.');
    re = new RegExp(`^${body}$`, 's');
    if (cache.size > 10_000) cache.clear();
    cache.set(glob, re);
  }
  return re;
}

export function globMatch(glob: string, value: string | null | undefined): boolean {
  if (value === null || value === undefined) return false;
  return globToRegExp(glob).test(value);
}
