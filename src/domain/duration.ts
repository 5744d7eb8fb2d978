const UNIT_SECONDS: Record<string, number> = { ms: 0.001, s: 1, m: 60, h: 3600 };

/** Parses "30", "30s", "1.5m", "2h", "500ms" (or a number of seconds) into seconds; null when it is not a duration. */
export function parseDurationSeconds(input: string | number): number | null {
  if (typeof input === 'number') return Number.isFinite(input) ? input : null;
  const match = /^\s*(\d+(?:\.\d+)?)\s*(ms|s|m|h)?\s*$/i.exec(input);
  if (!match) return null;
  return Number(match[1]) * UNIT_SECONDS[(match[2] ?? 's').toLowerCase()]!;
}
