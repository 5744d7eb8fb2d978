// "Did you mean …?" for thresholds: the nearest known words by edit distance.

/** Levenshtein distance, with a swap of two neighbours counted as one edit ("rsp" → "rps"). */
export function editDistance(a: string, b: string): number {
  const rows = Array.from({ length: a.length + 1 }, (_, i) => [i, ...Array<number>(b.length).fill(0)]);
  for (let j = 1; j <= b.length; j += 1) rows[0]![j] = j;
  for (let i = 1; i <= a.length; i += 1) {
    for (let j = 1; j <= b.length; j += 1) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let best = Math.min(rows[i - 1]![j]! + 1, rows[i]![j - 1]! + 1, rows[i - 1]![j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) best = Math.min(best, rows[i - 2]![j - 2]! + 1);
      rows[i]![j] = best;
    }
  }
  return rows[a.length]![b.length]!;
}

/**
 * The candidates closest to `word` (ties kept, in the candidates' order), or none when even
 * the closest needs more than `maxDistance` edits: a far-fetched guess misleads more than none.
 */
export function closestMatches(word: string, candidates: readonly string[], maxDistance: number): string[] {
  const lower = word.toLowerCase();
  const scored = candidates.map((candidate) => ({ candidate, distance: editDistance(lower, candidate.toLowerCase()) }));
  const best = Math.min(...scored.map((entry) => entry.distance));
  if (!Number.isFinite(best) || best > maxDistance) return [];
  return scored.filter((entry) => entry.distance === best).map((entry) => entry.candidate);
}
