/** Edit distance (insert, delete, substitute), enough to catch typos in front-matter keys. */
function distance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i += 1) {
    const current = [i];
    for (let j = 1; j <= b.length; j += 1) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      current[j] = Math.min((previous[j] ?? 0) + 1, (current[j - 1] ?? 0) + 1, (previous[j - 1] ?? 0) + cost);
    }
    previous = current;
  }
  return previous[b.length] ?? 0;
}

/**
 * The closest candidate to a misspelt word, or `null` when nothing is close enough to be a plausible
 * typo (a known word followed by more letters, or at most a third of the word's length — minimum 2 —
 * edits away; case-insensitive).
 */
export function didYouMean(word: string, candidates: readonly string[]): string | null {
  const lower = word.toLowerCase();
  // "hostname" -> "host", "serviceName" -> "service": a longer spelling of a known word.
  const prefixed = candidates.find((c) => c.length >= 3 && lower.startsWith(c.toLowerCase()));
  if (prefixed) return prefixed;
  let best: { candidate: string; score: number } | null = null;
  for (const candidate of candidates) {
    const score = distance(word.toLowerCase(), candidate.toLowerCase());
    if (!best || score < best.score) best = { candidate, score };
  }
  const limit = Math.max(2, Math.floor(word.length / 3));
  return best && best.score <= limit ? best.candidate : null;
}
