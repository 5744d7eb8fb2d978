import { plannedSecondsOf } from '../../domain/load-shape.js';
import { isTerminal } from '../../domain/run-state.js';
import type { Run } from '../../domain/types.js';
import type { ControlPlaneApi } from '../../controlplane/client.js';
import type { RunView } from '../../controlplane/views.js';
import { createWindowedRenderer, formatPlainLine, renderLiveFrame, type LiveView, type MessageLine } from '../render/index.js';
import { isInteractive, useColor, widthOf, type CliIo } from '../io.js';

export interface WatchOptions {
  client: ControlPlaneApi;
  runId: string;
  testName: string;
  io: CliIo;
  now?: () => number;
  quiet?: boolean;
  /** Stops watching (not the run): watchRun then returns the last state it saw. */
  signal?: AbortSignal;
  /** Messages printed while the live view is drawn go above it through this. */
  messages?: MessageLine;
}

/**
 * Shows a run live until it is terminal (or `signal` aborts) and returns its last state: a table
 * redrawn in place on a terminal, one plain line per metrics push otherwise (CI logs stay readable).
 */
export async function watchRun({ client, runId, testName, io, now = Date.now, quiet = false, signal, messages }: WatchOptions): Promise<RunView> {
  let latest: RunView = await client.getRun(runId);
  const view = (): LiveView => ({
    runId,
    testName,
    status: latest.status,
    targetUsers: latest.targetUsers,
    durationSeconds: plannedSecondsOf(latest),
    ...(latest.shape ? { shape: latest.shape } : {}),
    elapsedSeconds: latest.startedAt ? Math.max(0, ((latest.finishedAt ? Date.parse(latest.finishedAt) : now()) - Date.parse(latest.startedAt)) / 1000) : 0,
    ...(latest.lastMetrics ? { metrics: latest.lastMetrics } : {}),
  });

  const interactive = isInteractive(io) && !quiet;
  const renderer = interactive
    ? createWindowedRenderer({ stream: io.stdout as NodeJS.WriteStream, getWindow: ({ rows }) => renderLiveFrame(view(), { color: useColor(io), width: widthOf(io), height: rows }) })
    : undefined;
  renderer?.start();
  messages?.attach(renderer);

  let lastSeq = -1;
  let lastStatus = '';
  let eventsSeen = latest.events?.length ?? 0;
  // A worker lost mid-run is said as it happens, above the live table (or as a plain line).
  const announceEvents = (run: RunView): void => {
    const events = run.events ?? [];
    for (const event of events.slice(eventsSeen)) {
      if (quiet) continue;
      if (messages) messages.say(event.message);
      else io.stderr.write(`${event.message}\n`);
    }
    eventsSeen = Math.max(eventsSeen, events.length);
  };
  const report = (run: RunView): void => {
    latest = run;
    announceEvents(run);
    if (interactive || quiet) return;
    if (run.status !== lastStatus) {
      lastStatus = run.status;
      io.stdout.write(`${run.id} ${run.status}${statusReason(run)}\n`);
    }
    const seq = run.lastMetrics?.seq ?? -1;
    if (seq > lastSeq && !isTerminal(run.status)) {
      lastSeq = seq;
      io.stdout.write(`${formatPlainLine(view())}\n`);
    }
  };

  try {
    report(latest);
    while (!isTerminal(latest.status) && !signal?.aborted) {
      try {
        for await (const run of client.watchRun(runId, signal)) report(run);
      } catch (error) {
        if (signal?.aborted) break;
        throw error;
      }
      // The stream can end early (server restart, proxy timeout): read the state and go on.
      if (!isTerminal(latest.status) && !signal?.aborted) report(await client.getRun(runId));
    }
  } finally {
    messages?.attach(undefined);
    // The summary printed next repeats the final table: do not leave it on screen twice.
    renderer?.stop({ clear: isTerminal(latest.status) });
  }
  return latest;
}

function statusReason(run: RunView): string {
  const last = run.statusHistory[run.statusHistory.length - 1];
  return last?.reason ? ` (${last.reason})` : '';
}

export type WatchedRun = RunView & Pick<Run, 'id'>;
