import { LoadctlError } from './errors.js';

/** One k6-like stage: ramp linearly to `users` over `durationSeconds` (from the previous stage's users; 0 at first). */
export interface Stage {
  durationSeconds: number;
  users: number;
}

/**
 * What drove a run's users, recorded with it: loadctl's stages (`--stage`, `stages:`), or the
 * script's own LoadTestShape (found by the plugin). Absent: `targetUsers` at `spawnRate`.
 */
export interface RunShape {
  kind: 'stages' | 'script';
  /** The script's shape class name; "stages" for loadctl's. */
  name: string;
  stages?: Stage[];
  /** How long the shape plans to run (the stages' sum); absent: the script shape decides. */
  plannedSeconds?: number;
}

/** Where a shape is at one push: the stage running (1-based) out of how many. */
export interface ShapeStage {
  index: number;
  count: number;
}

// A stage's duration as k6 writes it: 30s, 1m, 1m30s, 1h, 90 (seconds)
const STAGE_DURATION = /^(?:(\d+)h)?(?:(\d+)m(?!s))?(?:(\d+(?:\.\d+)?)s)?$/;
export const MAX_STAGES = 100;
export const MAX_STAGE_USERS = 100_000;

/** "30s:10" → { durationSeconds: 30, users: 10 }; `label` names the stage in the error (exit 3). */
export function parseStage(text: string, label: string): Stage {
  const [durationText = '', usersText, ...rest] = String(text).trim().split(':');
  const bad = (why: string): LoadctlError =>
    new LoadctlError('LOADCTL_CONFIG_INVALID', `${label} "${text}": ${why}; expected DURATION:USERS such as 30s:10, 1m:10 or 1m30s:0`, { details: { field: 'stages' } });
  if (usersText === undefined || rest.length > 0) throw bad('not DURATION:USERS');
  const seconds = stageSeconds(durationText.trim());
  if (seconds === null || seconds <= 0) throw bad(`"${durationText}" is not a duration above 0`);
  const users = Number(usersText.trim());
  if (!/^\d+$/.test(usersText.trim()) || users > MAX_STAGE_USERS) throw bad(`"${usersText}" is not a whole number of users from 0 to ${MAX_STAGE_USERS}`);
  return { durationSeconds: seconds, users };
}

function stageSeconds(text: string): number | null {
  if (/^\d+(?:\.\d+)?$/.test(text)) return Number(text);
  const match = STAGE_DURATION.exec(text);
  if (!match || text === '') return null;
  const [, hours = '0', minutes = '0', seconds = '0'] = match;
  return Number(hours) * 3600 + Number(minutes) * 60 + Number(seconds);
}

/** Each `--stage` (or `stages:` entry) parsed; the error names the bad one ("--stage 2"). */
export function parseStages(texts: readonly (string | Stage)[], labelOf: (index: number) => string): Stage[] {
  if (texts.length > MAX_STAGES) throw new LoadctlError('LOADCTL_CONFIG_INVALID', `${labelOf(MAX_STAGES)}: at most ${MAX_STAGES} stages`, { details: { field: 'stages' } });
  const stages = texts.map((text, index) => (typeof text === 'string' ? parseStage(text, labelOf(index)) : text));
  if (stages.length > 0 && stages.every((stage) => stage.users === 0)) {
    throw new LoadctlError('LOADCTL_CONFIG_INVALID', `${labelOf(0)}: every stage has 0 users, so no load would run`, { details: { field: 'stages' } });
  }
  return stages;
}

/** The planned duration of stages: their sum. */
export function stagesSeconds(stages: readonly Stage[]): number {
  return stages.reduce((sum, stage) => sum + stage.durationSeconds, 0);
}

/** The users stages plan at `seconds` into the run (linear ramps, as the plugin's StagesShape); 0 after the end. */
export function plannedUsersAt(stages: readonly Stage[], seconds: number): number {
  let start = 0;
  let before = 0;
  for (const stage of stages) {
    if (seconds < start + stage.durationSeconds) return Math.round(before + ((stage.users - before) * (seconds - start)) / stage.durationSeconds);
    start += stage.durationSeconds;
    before = stage.users;
  }
  return 0;
}

// `class StepShape(LoadTestShape):` or `(locust.LoadTestShape)`; a guess from the text, good enough
// to explain flags before the run — the plugin reports the shape Locust really picked.
const SHAPE_CLASS = /^class\s+(\w+)\s*\([^)]*\bLoadTestShape\b[^)]*\)\s*:/m;

/** The name of the LoadTestShape the script defines, or undefined. */
export function scriptShapeName(script: string): string | undefined {
  return SHAPE_CLASS.exec(script)?.[1];
}

// The stages shape ends itself after the last stage, at its next tick (about once a second):
// the duration bound sits a little past it, so the shape, not the bound, ends the run.
export const STAGES_END_GRACE_SECONDS = 3;

/** The run's shape and duration bound for stages: the bound is the caller's, else the stages' sum plus the grace. */
export function stagesRunShape(stages: readonly Stage[], durationSeconds: number | undefined): { shape: RunShape; durationSeconds: number } {
  const plannedSeconds = stagesSeconds(stages);
  return {
    shape: { kind: 'stages', name: 'stages', stages: stages.map((stage) => ({ ...stage })), plannedSeconds },
    durationSeconds: durationSeconds ?? Math.ceil(plannedSeconds) + STAGES_END_GRACE_SECONDS,
  };
}

/** How long a run is planned to last: a shape's plan within the duration bound, else the duration. */
export function plannedSecondsOf(run: { durationSeconds: number; shape?: RunShape }): number {
  const planned = run.shape?.plannedSeconds;
  return planned === undefined ? run.durationSeconds : Math.min(planned, run.durationSeconds);
}

/** The reason the control plane stores when a shape's tick() ended the run (orchestrator/callbacks.ts). */
export const SHAPE_ENDED_REASON = 'the load shape ended';

/** True when the run's load shape ended it (not its duration bound, not a request). */
export function endedByShape(run: { status: string; statusHistory: readonly { to: string; reason?: string }[] }): boolean {
  if (run.status !== 'Finished') return false;
  const last = [...run.statusHistory].reverse().find((change) => change.to === 'Finished');
  return last?.reason?.startsWith(SHAPE_ENDED_REASON) ?? false;
}

/** "30s:10, 1m:10, 20s:0": stages as `--stage` takes them. */
export function formatStages(stages: readonly Stage[]): string {
  return stages.map((stage) => `${formatStageSeconds(stage.durationSeconds)}:${stage.users}`).join(', ');
}

function formatStageSeconds(seconds: number): string {
  const minutes = Math.floor(seconds / 60);
  const rest = Math.round((seconds - minutes * 60) * 1000) / 1000;
  return minutes > 0 ? `${minutes}m${rest > 0 ? `${rest}s` : ''}` : `${rest}s`;
}
