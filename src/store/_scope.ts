// Scope fields (accountId … tenantId) as stored. Versions before they were fields kept them in a
// test's `extra`; both stores lift them out on read, so either shape reads the same.
import { SCOPE_FIELDS, type LoadTest, type Scope, type ScopeField } from '../domain/types.js';

/** The test with scope fields found only in `extra` moved to the top level. */
export function liftScope(test: LoadTest): LoadTest {
  const legacy = SCOPE_FIELDS.filter((field) => test[field] === undefined && typeof test.extra[field] === 'string');
  const inExtra = SCOPE_FIELDS.filter((field) => field in test.extra);
  if (inExtra.length === 0) return test;
  const extra = { ...test.extra };
  const lifted: LoadTest = { ...test, extra };
  for (const field of legacy) lifted[field] = test.extra[field] as string;
  for (const field of inExtra) delete extra[field];
  return lifted;
}

/** The scope fields that are set, and only those. */
export function scopeOf(source: Scope): Scope {
  return Object.fromEntries(SCOPE_FIELDS.filter((field) => typeof source[field] === 'string').map((field) => [field, source[field]]));
}

/** The SQLite column of a scope field: accountId → account_id. */
export function scopeColumn(field: ScopeField): string {
  return field.replace(/[A-Z]/g, (letter) => `_${letter.toLowerCase()}`);
}

/** One named SQL parameter per scope field (null when unset), for the scope columns. */
export function scopeParams(source: Scope): Record<ScopeField, string | null> {
  return Object.fromEntries(SCOPE_FIELDS.map((field) => [field, source[field] ?? null])) as Record<ScopeField, string | null>;
}
