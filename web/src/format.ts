// Numbers as people read them; the exact value stays in data-value for tests and copy.
export function formatNumber(value: number | null | undefined, digits = 0): string {
  if (value === null || value === undefined || !Number.isFinite(value)) return '–';
  return value.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits });
}

export const formatMs = (value: number | null | undefined): string => (value === null || value === undefined ? '–' : `${formatNumber(value, value < 10 ? 1 : 0)} ms`);
export const formatRps = (value: number | null | undefined): string => formatNumber(value, 1);
export const formatPercent = (ratio: number | null | undefined): string => (ratio === null || ratio === undefined ? '–' : `${formatNumber(ratio * 100, 2)} %`);

export function formatTime(iso: string | undefined): string {
  if (!iso) return '–';
  const date = new Date(iso);
  return `${date.toLocaleDateString('en-CA')} ${date.toLocaleTimeString('en-GB')}`;
}

export function formatDuration(seconds: number | null | undefined): string {
  if (seconds === null || seconds === undefined) return '–';
  const whole = Math.round(seconds);
  return whole >= 60 ? `${Math.floor(whole / 60)} min ${whole % 60} s` : `${whole} s`;
}
