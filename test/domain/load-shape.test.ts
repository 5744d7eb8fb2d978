import { describe, expect, it } from 'vitest';
import { LoadctlError } from '../../src/domain/errors.js';
import { endedByShape, formatStages, parseStage, parseStages, plannedSecondsOf, plannedUsersAt, scriptShapeName, stagesRunShape, stagesSeconds } from '../../src/domain/load-shape.js';

const errorOf = (fn: () => unknown): LoadctlError => {
  try {
    fn();
  } catch (error) {
    return error as LoadctlError;
  }
  throw new Error('expected an error');
};

describe('stages', () => {
  it.each([
    ['30s:10', 30, 10],
    ['1m:10', 60, 10],
    ['1m30s:0', 90, 0],
    ['1h:5', 3600, 5],
    ['90:3', 90, 3],
    ['2.5s:1', 2.5, 1],
  ])('parses %s', (text, seconds, users) => {
    expect(parseStage(text, '--stage')).toEqual({ durationSeconds: seconds, users });
  });

  it.each(['30s', '30s:10:1', 'x:10', '0s:10', '30s:-1', '30s:1.5', '500ms:1', ':10', '30s:'])('refuses %s, naming the stage (exit 3)', (text) => {
    const error = errorOf(() => parseStage(text, '--stage'));
    expect(error.code).toBe('LOADCTL_CONFIG_INVALID');
    expect(error.exitCategory).toBe('usage');
    expect(error.message).toContain(`--stage "${text}"`);
  });

  it('refuses stages that never run a user', () => {
    expect(errorOf(() => parseStages(['10s:0', '5s:0'], () => '--stage')).message).toContain('0 users');
  });

  it('plans linear ramps like k6 and sums to the planned duration', () => {
    const stages = parseStages(['30s:10', '1m:10', '20s:0'], () => '--stage');
    expect(stagesSeconds(stages)).toBe(110);
    expect([0, 15, 30, 60, 100, 110].map((t) => plannedUsersAt(stages, t))).toEqual([0, 5, 10, 10, 5, 0]);
    expect(formatStages(stages)).toBe('30s:10, 1m:10, 20s:0');
  });

  it('bounds a stages run a little past their sum, or by the given duration', () => {
    const stages = [{ durationSeconds: 6, users: 4 }];
    expect(stagesRunShape(stages, undefined).durationSeconds).toBeGreaterThan(6);
    expect(stagesRunShape(stages, 4).durationSeconds).toBe(4);
    expect(plannedSecondsOf({ durationSeconds: 4, shape: stagesRunShape(stages, 4).shape })).toBe(4);
    expect(plannedSecondsOf({ durationSeconds: 9, shape: stagesRunShape(stages, undefined).shape })).toBe(6);
  });
});

describe('script shapes', () => {
  it("finds a script's LoadTestShape class", () => {
    expect(scriptShapeName('from locust import LoadTestShape\n\nclass Steps(LoadTestShape):\n    pass\n')).toBe('Steps');
    expect(scriptShapeName('import locust\nclass Waves(locust.LoadTestShape):\n    pass\n')).toBe('Waves');
    expect(scriptShapeName('class User(HttpUser):\n    pass\n')).toBeUndefined();
  });

  it('tells a run the shape ended from one its duration or a request ended', () => {
    const ended = (reason: string, status = 'Finished') => endedByShape({ status, statusHistory: [{ to: 'Running' }, { to: status, reason }] });
    expect(ended('the load shape ended (Steps)')).toBe(true);
    expect(ended('duration of 30s elapsed')).toBe(false);
    expect(ended('the load shape ended', 'Stopped')).toBe(false);
  });
});
