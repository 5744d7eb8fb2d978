import type { LoadTest, Run, ScriptRevision } from '../domain/types.js';

/** A run as the API shows it: everything but its secrets. */
export type RunView = Omit<Run, 'callbackToken' | 'callbackTokenHash' | 'launchToken'>;

export type RevisionSummary = Omit<ScriptRevision, 'cleanScript' | 'injectedScript' | 'bundle'>;

/** A revision with both scripts as base64, the way scripts travel in the API. */
export type RevisionView = RevisionSummary & { scriptContent: string; injectedScriptContent: string; bundle?: string };

export function toRunView(run: Run): RunView {
  const { callbackToken: _callbackSecret, callbackTokenHash: _callbackHash, launchToken: _launchSecret, ...view } = run;
  return view;
}

export function toLoadTestView(test: LoadTest): Record<string, unknown> {
  const { extra, ...rest } = test;
  return { ...extra, ...rest };
}

/** Revision without the script bodies, for lists. */
export function toRevisionSummary(revision: ScriptRevision): RevisionSummary {
  const { cleanScript: _clean, injectedScript: _injected, bundle: _archive, ...summary } = revision;
  return summary;
}

export function toRevisionView(revision: ScriptRevision): RevisionView {
  return {
    ...toRevisionSummary(revision),
    scriptContent: toBase64(revision.cleanScript),
    injectedScriptContent: toBase64(revision.injectedScript),
    ...(revision.bundle === undefined ? {} : { bundle: revision.bundle }),
  };
}

function toBase64(text: string): string {
  return Buffer.from(text, 'utf8').toString('base64');
}
