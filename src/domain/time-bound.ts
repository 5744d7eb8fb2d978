// `runs list --since/--until`: a person types "2h" or "2026-11-29", the API takes an exact
// instant (date-time with its zone). Both become that instant here.

const AGO = /^\s*(\d+(?:\.\d+)?)\s*(m|min|h|d|w)\s*$/i;
const UNIT_MS: Record<string, number> = { m: 60_000, min: 60_000, h: 3_600_000, d: 86_400_000, w: 604_800_000 };
const DATE_ONLY = /^\d{4}-\d{2}-\d{2}$/;
// A time must say its zone: "10:00" alone would mean this machine's zone here and UTC on a server.
const DATE_TIME_WITH_ZONE = /^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})$/i;

/**
 * The instant `text` names, as an ISO date-time in UTC, or null when it names none: a span
 * back from `now` ("30m", "2h", "7d", "1w"), a date (its start, UTC), or a date-time with its
 * zone ("2026-11-29T10:00Z", "2026-11-29 10:00+01:00").
 */
export function parseTimeBound(text: string, now: Date): string | null {
  const ago = AGO.exec(text);
  if (ago) return new Date(now.getTime() - Number(ago[1]) * UNIT_MS[ago[2]!.toLowerCase()]!).toISOString();
  const trimmed = text.trim();
  if (DATE_ONLY.test(trimmed)) return validInstant(`${trimmed}T00:00:00Z`, trimmed);
  if (DATE_TIME_WITH_ZONE.test(trimmed)) return validInstant(trimmed.replace(' ', 'T'), trimmed);
  return null;
}

/** Date.parse rolls 2026-02-30 over to March: a date whose own fields do not survive is refused. */
function validInstant(iso: string, given: string): string | null {
  const ms = Date.parse(iso);
  if (Number.isNaN(ms)) return null;
  const [year, month, day] = given.slice(0, 10).split('-').map(Number) as [number, number, number];
  const calendar = new Date(Date.UTC(year, month - 1, day));
  if (calendar.getUTCFullYear() !== year || calendar.getUTCMonth() !== month - 1 || calendar.getUTCDate() !== day) return null;
  return new Date(ms).toISOString();
}
