import type { MetricsSnapshot } from './types.js';

/** Longest error text stored per error row: an HTML error page says what it has to say before this. */
export const MAX_ERROR_TEXT = 10_000;
/** Longest exception message or traceback stored (the plugin cuts them first: loadctl_plugin.py MAX_EXCEPTION_TEXT). */
export const MAX_EXCEPTION_TEXT = 20_000;
const MAX_WHERE_TEXT = 2_000;
const MAX_TRUNCATED_NOTE = 500;
const MARK = '[…truncated by the control plane] ';

// The end of an error text or a traceback holds the cause: keep it.
function cut(text: string, limit: number): string {
  return text.length <= limit ? text : MARK + text.slice(text.length - (limit - MARK.length));
}

/**
 * Cuts over-long texts of a callback in place instead of refusing it: a final report is worth
 * more than a complete error page. What was cut joins the plugin's own `truncated` list.
 */
export function truncateCallbackTexts(body: Pick<MetricsSnapshot, 'errors' | 'exceptions' | 'truncated'>): void {
  const notes: string[] = [];
  let errors = 0;
  for (const row of body.errors ?? []) {
    if (row.error.length > MAX_ERROR_TEXT) {
      row.error = cut(row.error, MAX_ERROR_TEXT);
      errors += 1;
    }
  }
  if (errors > 0) notes.push(`errors: ${errors} texts cut to ${MAX_ERROR_TEXT} characters by the control plane`);
  let exceptions = 0;
  for (const row of body.exceptions ?? []) {
    const before = [row.message, row.traceback, row.where];
    row.message = cut(row.message, MAX_EXCEPTION_TEXT);
    row.traceback = cut(row.traceback, MAX_EXCEPTION_TEXT);
    row.where = row.where.slice(0, MAX_WHERE_TEXT);
    if ([row.message, row.traceback, row.where].some((text, index) => text !== before[index])) exceptions += 1;
  }
  if (exceptions > 0) notes.push(`exceptions: ${exceptions} rows with texts cut to ${MAX_EXCEPTION_TEXT} characters by the control plane`);
  const given = (body.truncated ?? []).map((note) => note.slice(0, MAX_TRUNCATED_NOTE));
  if (given.length > 0 || notes.length > 0) body.truncated = [...given, ...notes];
}
