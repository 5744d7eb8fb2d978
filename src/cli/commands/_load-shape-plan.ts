// What `loadctl run` asks for when a load shape drives the users: the stages it sends, the
// duration bound, and a note saying which flags the shape makes pointless (not an error:
// a loadctl.yaml may set users for the runs without a shape).
import type { RunDefaults } from '../../config/config.js';
import { LoadctlError } from '../../domain/errors.js';
import { formatStages, scriptShapeName, stagesSeconds, type Stage } from '../../domain/load-shape.js';
import { formatDuration } from '../render/index.js';

// A script's shape ends its run itself; without --duration this bounds a shape that never ends
export const SCRIPT_SHAPE_BOUND_SECONDS = 24 * 3600;

export interface ShapePlan {
  /** The start-run fields: users, spawn rate, duration (absent: the server's default for stages), stages. */
  start: { targetUsers: number; spawnRate: number; durationSeconds?: number; stages?: Stage[] };
  /** One line for the person starting the run, or undefined when no shape drives it. */
  note?: string;
}

export function planLoadShape(run: RunDefaults, script: string): ShapePlan {
  const plain = { targetUsers: run.users, spawnRate: run.spawnRate ?? run.users };
  const duration = run.given?.duration === false ? undefined : Math.round(run.durationSeconds);
  const own = scriptShapeName(script);
  const ignored = [run.given?.users && '--users', run.given?.spawnRate && '--spawn-rate'].filter(Boolean).join(' and ');
  const ignoredNote = ignored ? `; ${ignored} ${ignored.includes(' and ') ? 'are' : 'is'} ignored` : '';
  if (run.stages) {
    if (own !== undefined) {
      throw new LoadctlError('LOADCTL_CONFIG_INVALID', `--stage / stages: the script defines its own load shape (class ${own}); use the stages or the script's LoadTestShape, not both.`, {
        details: { field: 'stages' },
      });
    }
    const planned = stagesSeconds(run.stages);
    const bound = duration !== undefined && duration < planned ? `; --duration ${formatDuration(duration)} ends it earlier` : '';
    return {
      start: { ...plain, stages: [...run.stages], ...(duration === undefined ? {} : { durationSeconds: duration }) },
      note: `Load shape: stages ${formatStages(run.stages)} (${formatDuration(planned)} planned, the sum of the stages)${bound}${ignoredNote}.`,
    };
  }
  if (own !== undefined) {
    const bound = duration === undefined ? `it ends the run (at most ${formatDuration(SCRIPT_SHAPE_BOUND_SECONDS)}; --duration sets that bound)` : `--duration ${formatDuration(duration)} is an upper bound`;
    return {
      start: { ...plain, durationSeconds: duration ?? SCRIPT_SHAPE_BOUND_SECONDS },
      note: `Load shape: the script's ${own} decides the users; ${bound}${ignoredNote}.`,
    };
  }
  return { start: { ...plain, durationSeconds: Math.round(run.durationSeconds) } };
}
