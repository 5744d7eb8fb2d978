// How a run driven by a load shape reads in the live line: the shape's target beside the users
// running (not the run's targetUsers, which a shape ignores), and a duration that is only a bound.
import type { RunShape } from '../../domain/load-shape.js';
import type { MetricsSnapshot } from '../../domain/types.js';
import { formatClock, formatCount } from './format.js';

/** "users 6/10", or under a shape "users 6 (shape target 6, stage 2/3)". */
export function usersText(currentUsers: number, targetUsers: number, shape: RunShape | undefined, metrics: MetricsSnapshot | undefined): string {
  if (!shape) return `users ${formatCount(currentUsers)}/${formatCount(targetUsers)}`;
  const target = metrics?.targetUsers;
  const stage = metrics?.shapeStage ? `, stage ${metrics.shapeStage.index}/${metrics.shapeStage.count}` : '';
  return `users ${formatCount(currentUsers)} (shape target ${target === undefined ? '?' : formatCount(target)}${stage})`;
}

/** The run's length as shown after the clock: a script shape ends the run itself, so its duration is only an upper bound ("≤1:00"). */
export function durationText(durationSeconds: number, shape: RunShape | undefined): string {
  return `${shape?.kind === 'script' ? '≤' : ''}${formatClock(durationSeconds)}`;
}
