import { LoadctlError } from '../domain/errors.js';
import { parseDurationSeconds } from '../domain/duration.js';

// Each validator names the setting and where it came from, so the message says what to fix.

function invalid(source: string, message: string): never {
  throw new LoadctlError('LOADCTL_CONFIG_INVALID', `${source}: ${message}`, { details: { field: source } });
}

export function validatePositiveInteger(value: unknown, source: string, max = 1_000_000): number {
  const number = typeof value === 'string' && value.trim() !== '' ? Number(value) : value;
  if (typeof number !== 'number' || !Number.isInteger(number) || number < 1 || number > max) {
    invalid(source, `expected a whole number from 1 to ${max}, got ${JSON.stringify(value)}`);
  }
  return number;
}

export function validatePositiveNumber(value: unknown, source: string, max = 1_000_000): number {
  const number = typeof value === 'string' && value.trim() !== '' ? Number(value) : value;
  if (typeof number !== 'number' || !Number.isFinite(number) || number <= 0 || number > max) {
    invalid(source, `expected a number above 0 and at most ${max}, got ${JSON.stringify(value)}`);
  }
  return number;
}

export function validateDuration(value: unknown, source: string): number {
  const seconds = typeof value === 'string' || typeof value === 'number' ? parseDurationSeconds(value) : null;
  if (seconds === null || seconds <= 0 || seconds > 7 * 24 * 3600) {
    invalid(source, `expected a duration such as 30, 30s, 5m or 1h (at most 7 days), got ${JSON.stringify(value)}`);
  }
  return seconds;
}

export function validateHttpUrl(value: unknown, source: string): string {
  if (typeof value !== 'string') invalid(source, `expected a URL such as http://127.0.0.1:8000, got ${JSON.stringify(value)}`);
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    invalid(source, `"${value}" is not a URL; write it with its scheme, e.g. http://127.0.0.1:8000`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') invalid(source, `"${value}" must start with http:// or https://`);
  return value.replace(/\/+$/, '');
}

export function validateMongoUri(value: unknown, source: string): string {
  if (typeof value !== 'string' || !/^mongodb(\+srv)?:\/\//.test(value)) {
    invalid(source, 'expected a MongoDB URI such as mongodb://127.0.0.1:27017/');
  }
  return value;
}

export function validatePort(value: unknown, source: string): number {
  const number = typeof value === 'string' && value.trim() !== '' ? Number(value) : value;
  if (typeof number !== 'number' || !Number.isInteger(number) || number < 0 || number > 65535) {
    invalid(source, `expected a port from 0 to 65535, got ${JSON.stringify(value)}`);
  }
  return number;
}

export function validateString(value: unknown, source: string): string {
  if (typeof value !== 'string' || value.trim() === '') invalid(source, `expected a non-empty text, got ${JSON.stringify(value)}`);
  return value;
}

/** Refuses keys that are not settings, suggesting the closest known one (`duraton` → `duration`). */
export function validateKnownKeys(record: Record<string, unknown>, known: readonly string[], prefix: string): void {
  for (const key of Object.keys(record)) {
    if (known.includes(key)) continue;
    const closest = [...known].sort((a, b) => editDistance(key, a) - editDistance(key, b))[0];
    const hint = closest && editDistance(key, closest) <= 3 ? ` Did you mean "${closest}"?` : ` Known keys: ${known.join(', ')}.`;
    invalid(`${prefix}${key}`, `unknown setting.${hint}`);
  }
}

function editDistance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, index) => index);
  for (let i = 1; i <= a.length; i += 1) {
    let diagonal = row[0]!;
    row[0] = i;
    for (let j = 1; j <= b.length; j += 1) {
      const above = row[j]!;
      row[j] = Math.min(row[j]! + 1, row[j - 1]! + 1, diagonal + (a[i - 1]!.toLowerCase() === b[j - 1]!.toLowerCase() ? 0 : 1));
      diagonal = above;
    }
  }
  return row[b.length]!;
}

export function validateBoolean(value: unknown, source: string): boolean {
  if (typeof value !== 'boolean') invalid(source, `expected true or false, got ${JSON.stringify(value)}`);
  return value;
}
