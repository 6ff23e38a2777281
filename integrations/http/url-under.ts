/**
 * A check that a URL lies below one of `bases` (`http://127.0.0.1:3000/sandbox/teams/`): compared
 * after URL normalisation, so `..` segments, userinfo (`http://host@evil/`) or another port do not pass.
 * Used to pin the sandbox's callback URLs (Teams `serviceUrl`, Slack `response_url`) to the bridge itself.
 */
export function urlUnder(bases: readonly string[]): (url: string | URL | null | undefined) => boolean {
  const prefixes = bases.map((b) => {
    const u = new URL(b);
    return `${u.origin}${u.pathname.endsWith('/') ? u.pathname : `${u.pathname}/`}`;
  });
  return (url) => {
    if (!url) return false;
    let parsed: URL;
    try {
      parsed = new URL(url);
    } catch {
      return false;
    }
    if (parsed.username !== '' || parsed.password !== '') return false;
    const normal = `${parsed.origin}${parsed.pathname}`;
    return prefixes.some((p) => normal.startsWith(p));
  };
}
