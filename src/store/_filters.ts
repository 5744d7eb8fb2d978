// Small helpers both stores use to read list filters the same way.
import type { RunStatus } from '../domain/types.js';

/**
 * Timestamps are stored as ISO strings (Date#toISOString), which sort as text. A `since` or
 * `until` given with an offset or without milliseconds is brought to the same form first.
 */
export function normaliseTimestamp(timestamp: string): string {
  const parsed = new Date(timestamp);
  return Number.isNaN(parsed.getTime()) ? timestamp : parsed.toISOString();
}

/** An empty status list means "any status", as an absent one does. */
export function normaliseStatuses(statuses: readonly RunStatus[] | undefined): readonly RunStatus[] | undefined {
  return statuses !== undefined && statuses.length > 0 ? statuses : undefined;
}

/** Limit and offset as whole, non-negative numbers (MongoDB reads limit 0 as "no limit"). */
export function normalisePage(filter: { limit: number; offset: number }): { limit: number; offset: number } {
  return {
    limit: Math.max(0, Math.floor(filter.limit)),
    offset: Math.max(0, Math.floor(filter.offset)),
  };
}

export function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
