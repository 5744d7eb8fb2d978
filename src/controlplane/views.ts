import type { LoadTest, Run, ScriptRevision } from '../domain/types.js';

/** A run as the API shows it: everything but the callback secret. */
export type RunView = Omit<Run, 'callbackToken'>;

export function toRunView(run: Run): RunView {
  const { callbackToken: _secret, ...view } = run;
  return view;
}

export function toLoadTestView(test: LoadTest): Record<string, unknown> {
  const { extra, ...rest } = test;
  return { ...extra, ...rest };
}

/** Revision without the script bodies, for lists. */
export function toRevisionSummary(revision: ScriptRevision): Omit<ScriptRevision, 'cleanScript' | 'injectedScript'> {
  const { cleanScript: _clean, injectedScript: _injected, ...summary } = revision;
  return summary;
}
