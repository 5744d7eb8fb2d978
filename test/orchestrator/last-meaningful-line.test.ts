import { describe, expect, it } from 'vitest';
import { lastMeaningfulLine } from '../../src/orchestrator/orchestrator.js';

describe('lastMeaningfulLine', () => {
  it('finds the script’s error under Python’s shutdown noise', () => {
    const tail = [
      'Traceback (most recent call last):',
      '  File "/tmp/loadctl-run-x/locustfile.py", line 3, in <module>',
      '    import does_not_exist_module',
      "ModuleNotFoundError: No module named 'does_not_exist_module'",
      'Exception ignored in: <greenlet.greenlet object at 0x7f>',
      'Traceback (most recent call last):',
      '  File "src/gevent/greenlet.py", line 1, in run',
      'RuntimeError: greenlet is being finalized',
    ];
    expect(lastMeaningfulLine(tail)).toBe("ModuleNotFoundError: No module named 'does_not_exist_module'");
  });

  it('takes the last line when there is no error line', () => {
    expect(lastMeaningfulLine(['Starting Locust 2.43.4', 'Shutting down (exit code 0)'])).toBe('Shutting down (exit code 0)');
  });

  it('keeps a dotted exception name', () => {
    expect(lastMeaningfulLine(['gevent.exceptions.LoopExit: This operation would block forever'])).toBe('gevent.exceptions.LoopExit: This operation would block forever');
  });
});
