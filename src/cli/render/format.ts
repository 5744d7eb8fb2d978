// Number, time and duration formats shared by the live frame, plain lines, summary and runs
// table. Locale is fixed to en-US so output (and tests) read the same on every machine.

const DASH = '–';
const counts = new Intl.NumberFormat('en-US', { maximumFractionDigits: 0 });
const oneDecimal = new Intl.NumberFormat('en-US', { minimumFractionDigits: 1, maximumFractionDigits: 1 });
const upToOneDecimal = new Intl.NumberFormat('en-US', { maximumFractionDigits: 1 });

/** 1234 → "1,234". */
export function formatCount(value: number): string {
  return Number.isFinite(value) ? counts.format(value) : DASH;
}

/** Milliseconds without unit: one decimal below 100 ms ("12.3", "12"), whole above ("1,234"). */
export function formatMs(value: number | undefined): string {
  if (value === undefined || !Number.isFinite(value)) return DASH;
  return value < 100 ? upToOneDecimal.format(value) : counts.format(value);
}

/** Requests per second, always one decimal so a column lines up: "41.2", "0.0". */
export function formatRps(value: number): string {
  return Number.isFinite(value) ? oneDecimal.format(value) : DASH;
}

/** Failures over requests as a ratio; 0 when nothing was sent. */
export function failureRatio(failures: number, requests: number): number {
  return requests > 0 ? failures / requests : 0;
}

/** A 0..1 ratio as a percentage: "0%", "0.2%", "12.5%"; "<0.1%" so a rare failure never reads as 0%. */
export function formatPercent(ratio: number): string {
  if (!Number.isFinite(ratio)) return DASH;
  const percent = ratio * 100;
  if (percent > 0 && percent < 0.05) return '<0.1%';
  return `${upToOneDecimal.format(percent)}%`;
}

/** Seconds as a clock: "00:06", "12:30", "1:02:03". */
export function formatClock(totalSeconds: number): string {
  const seconds = Math.max(0, Math.floor(totalSeconds));
  const hours = Math.floor(seconds / 3600);
  const mm = String(Math.floor((seconds % 3600) / 60)).padStart(2, '0');
  const ss = String(seconds % 60).padStart(2, '0');
  return hours > 0 ? `${hours}:${mm}:${ss}` : `${mm}:${ss}`;
}

/** Seconds as words: "45s", "2m 05s", "1h 02m". */
export function formatDuration(totalSeconds: number): string {
  const seconds = Math.max(0, Math.round(totalSeconds));
  if (seconds < 60) return `${seconds}s`;
  const hours = Math.floor(seconds / 3600);
  const minutes = Math.floor((seconds % 3600) / 60);
  if (hours > 0) return `${hours}h ${String(minutes).padStart(2, '0')}m`;
  return `${minutes}m ${String(seconds % 60).padStart(2, '0')}s`;
}

/** "just now", "45s ago", "2m ago", "3h ago", "5d ago". */
export function formatRelativeTime(then: Date, now: Date): string {
  const seconds = Math.round((now.getTime() - then.getTime()) / 1000);
  if (seconds < 5) return 'just now';
  if (seconds < 60) return `${seconds}s ago`;
  if (seconds < 3600) return `${Math.floor(seconds / 60)}m ago`;
  if (seconds < 86_400) return `${Math.floor(seconds / 3600)}h ago`;
  return `${Math.floor(seconds / 86_400)}d ago`;
}

/** Local time, minute precision: "2026-11-28 10:01". */
export function formatLocalDateTime(date: Date): string {
  const pad = (value: number) => String(value).padStart(2, '0');
  const day = `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}`;
  return `${day} ${pad(date.getHours())}:${pad(date.getMinutes())}`;
}

/** Seconds from one ISO timestamp to another, or undefined when either is missing. */
export function secondsBetween(fromIso: string | undefined, toIso: string | undefined): number | undefined {
  if (!fromIso || !toIso) return undefined;
  const seconds = (Date.parse(toIso) - Date.parse(fromIso)) / 1000;
  return Number.isFinite(seconds) ? Math.max(0, seconds) : undefined;
}

export { DASH };
