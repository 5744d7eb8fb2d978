// Number, time and duration formats shared by the live frame, plain lines, summary and runs
// table. Locale is fixed to en-US so output (and tests) read the same on every machine.

import { formatNumber } from '../../domain/number-format.js';

const DASH = '–';
const counts = { format: (value: number) => formatNumber(value, { maximumFractionDigits: 0 }) };
const oneDecimal = { format: (value: number) => formatNumber(value, { minimumFractionDigits: 1, maximumFractionDigits: 1 }) };
/** From this on a column of milliseconds shows whole numbers. */
const MS_WHOLE_FROM = 100;

export type Decimals = 0 | 1;

/** 1234 → "1,234". */
export function formatCount(value: number): string {
  return Number.isFinite(value) ? counts.format(value) : DASH;
}

/** "1 user", "2 users", "1,234 requests": the count formatted, the noun agreeing with it. */
export function plural(count: number, singular: string, pluralForm = `${singular}s`): string {
  return `${formatCount(count)} ${count === 1 ? singular : pluralForm}`;
}

/**
 * Milliseconds without unit, with a fixed number of decimals so a column lines up ("12.0"
 * under "12.3", never "12"): a column passes the decimals that suit all its values
 * (msDecimalsFor); a lone value gets its own.
 */
export function formatMs(value: number | undefined, decimals: Decimals = msDecimalsFor([value])): string {
  if (value === undefined || !Number.isFinite(value)) return DASH;
  return decimals === 1 ? oneDecimal.format(value) : counts.format(value);
}

/**
 * The decimals for a column of milliseconds: none when a value reaches 100 ms (a tenth is
 * noise there) or when every value is whole (Locust's percentiles are), one otherwise.
 */
export function msDecimalsFor(values: ReadonlyArray<number | undefined>): Decimals {
  // Rounded to a tenth first: 99.96 prints as "100.0" and 12.04 as "12.0".
  const tenths = values.filter((value): value is number => value !== undefined && Number.isFinite(value)).map((value) => Math.round(value * 10));
  if (tenths.some((tenth) => tenth >= MS_WHOLE_FROM * 10)) return 0;
  return tenths.some((tenth) => tenth % 10 !== 0) ? 1 : 0;
}

/**
 * A percentile as displayed next to the maximum it belongs to: never above it. Percentiles
 * come from Locust's rounded histogram buckets (23.7 ms is counted as 24), the maximum is exact.
 */
export function capAtMax(percentile: number | undefined, max: number | undefined): number | undefined {
  if (percentile === undefined || max === undefined || !Number.isFinite(max)) return percentile;
  return Math.min(percentile, max);
}

/** Requests per second, always one decimal so a column lines up: "41.2", "0.0". */
export function formatRps(value: number): string {
  return Number.isFinite(value) ? oneDecimal.format(value) : DASH;
}

/** Failures over requests as a ratio; 0 when nothing was sent. */
export function failureRatio(failures: number, requests: number): number {
  return requests > 0 ? failures / requests : 0;
}

/** A 0..1 ratio as a percentage, always one decimal: "0.0%", "0.2%", "12.5%"; "<0.1%" so a rare failure never reads as 0.0%. */
export function formatPercent(ratio: number): string {
  if (!Number.isFinite(ratio)) return DASH;
  const percent = ratio * 100;
  if (percent > 0 && percent < 0.05) return '<0.1%';
  return `${oneDecimal.format(percent)}%`;
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
