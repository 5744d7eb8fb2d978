import { describe, expect, it } from 'vitest';
import { createWindowedRenderer, type RendererTimers } from '../../../src/cli/render/windowed-renderer.js';
import { createVirtualTerminal } from './_virtual-terminal.js';

function createFakeTimers(): RendererTimers & { tick(): void; intervals: number[]; cleared: boolean } {
  let callback: (() => void) | undefined;
  const fake = {
    intervals: [] as number[],
    cleared: false,
    setInterval(fn: () => void, ms: number) {
      callback = fn;
      fake.intervals.push(ms);
      return 1;
    },
    clearInterval() {
      fake.cleared = true;
      callback = undefined;
    },
    tick() {
      callback?.();
    },
  };
  return fake;
}

function setUp(columns = 80) {
  const terminal = createVirtualTerminal(columns);
  const timers = createFakeTimers();
  let window = ['frame 0', 'table 0'];
  const renderer = createWindowedRenderer({ stream: terminal, getWindow: () => window, timers });
  const show = (lines: string[]) => {
    window = lines;
  };
  return { terminal, timers, renderer, show };
}

describe('createWindowedRenderer', () => {
  it('hides the cursor, draws at once and redraws on a 100 ms interval by default', () => {
    const { terminal, timers, renderer } = setUp();
    renderer.start();
    expect(terminal.cursorHidden).toBe(true);
    expect(terminal.screen()).toEqual(['frame 0', 'table 0']);
    expect(timers.intervals).toEqual([100]);
  });

  it('draws once per interval, with the latest window, however often it changes', () => {
    const { terminal, timers, renderer, show } = setUp();
    renderer.start();
    const writesAfterStart = terminal.writes.length;
    show(['frame 1', 'table 1']);
    show(['frame 2', 'table 2']);
    expect(terminal.writes.length).toBe(writesAfterStart);
    timers.tick();
    expect(terminal.writes.length).toBe(writesAfterStart + 1);
    expect(terminal.writes.at(-1)).not.toContain('frame 1');
    expect(terminal.screen()).toEqual(['frame 2', 'table 2']);
  });

  it('redraws in place: erases the previous lines, then writes the new ones in one write', () => {
    const { terminal, timers, renderer, show } = setUp();
    renderer.start();
    show(['frame 1']);
    timers.tick();
    expect(terminal.writes.at(-1)).toBe('\x1b[1A\x1b[2K\x1b[1A\x1b[2K\rframe 1\n');
    expect(terminal.screen()).toEqual(['frame 1']);
  });

  it('skips a redraw when the window did not change', () => {
    const { terminal, timers, renderer } = setUp();
    renderer.start();
    const writes = terminal.writes.length;
    timers.tick();
    timers.tick();
    expect(terminal.writes.length).toBe(writes);
  });

  it('prints logs above the window', () => {
    const { terminal, timers, renderer, show } = setUp();
    renderer.start();
    renderer.log('Locust started on 127.0.0.1:8089');
    show(['frame 1', 'table 1']);
    timers.tick();
    renderer.log('first metrics received');
    expect(terminal.screen()).toEqual([
      'Locust started on 127.0.0.1:8089',
      'first metrics received',
      'frame 1',
      'table 1',
    ]);
  });

  it('erases every row of a line the terminal wrapped', () => {
    const { terminal, timers, renderer, show } = setUp(10);
    show(['x'.repeat(25)]);
    renderer.start();
    show(['short']);
    timers.tick();
    expect(terminal.screen()).toEqual(['short']);
  });

  it('stop draws the last frame, leaves it on screen and restores the cursor', () => {
    const { terminal, timers, renderer, show } = setUp();
    renderer.start();
    show(['final frame', 'final table']);
    renderer.stop();
    expect(timers.cleared).toBe(true);
    expect(terminal.cursorHidden).toBe(false);
    expect(terminal.screen()).toEqual(['final frame', 'final table']);

    // Output after stop goes below the frame instead of erasing it.
    renderer.log('Summary');
    expect(terminal.screen()).toEqual(['final frame', 'final table', 'Summary']);
    renderer.stop();
    expect(terminal.screen()).toEqual(['final frame', 'final table', 'Summary']);
  });

  it('stop with clear removes the window, keeping what was logged above it', () => {
    const { terminal, renderer } = setUp();
    renderer.start();
    renderer.log('Run started');
    renderer.stop({ clear: true });
    expect(terminal.cursorHidden).toBe(false);
    expect(terminal.screen()).toEqual(['Run started']);
  });

  it('prints logs plainly before start', () => {
    const { terminal, renderer } = setUp();
    renderer.log('preparing Python environment');
    expect(terminal.writes).toEqual(['preparing Python environment\n']);
  });

  it('honours a custom interval', () => {
    const terminal = createVirtualTerminal();
    const timers = createFakeTimers();
    createWindowedRenderer({ stream: terminal, getWindow: () => [], intervalMs: 250, timers }).start();
    expect(timers.intervals).toEqual([250]);
  });
});

describe('createWindowedRenderer in a terminal of limited height', () => {
  const frame = (label: string, count: number) => [`status ${label}`, ...Array.from({ length: count }, (_, i) => `row ${label}.${i}`)];

  it('asks for a window one line shorter than the terminal (the cursor waits on the last line)', () => {
    const terminal = createVirtualTerminal(80, 24);
    const sizes: Array<{ columns: number; rows: number }> = [];
    createWindowedRenderer({ stream: terminal, getWindow: (size) => (sizes.push(size), ['x']), timers: createFakeTimers() }).start();
    expect(sizes).toEqual([{ columns: 80, rows: 23 }]);
  });

  it('cuts a window taller than the terminal, keeping its first lines, and leaves no copy in the scrollback', () => {
    const terminal = createVirtualTerminal(80, 24);
    const timers = createFakeTimers();
    let window = frame('0', 40);
    const renderer = createWindowedRenderer({ stream: terminal, getWindow: () => window, timers });
    renderer.log('Run r_1 started');
    renderer.start();
    for (let redraw = 1; redraw <= 5; redraw += 1) {
      window = frame(String(redraw), 40);
      timers.tick();
      expect(terminal.screen()).toContain(`status ${redraw}`);
      expect(terminal.screen().length).toBeLessThanOrEqual(24);
    }
    expect(terminal.history().filter((line) => line.startsWith('status'))).toEqual(['status 5']);
    renderer.stop({ clear: true });
    expect(terminal.history()).toEqual(['Run r_1 started']);
  });

  it('counts wrapped lines against the height', () => {
    const terminal = createVirtualTerminal(10, 6);
    const timers = createFakeTimers();
    const renderer = createWindowedRenderer({ stream: terminal, getWindow: () => ['status', 'x'.repeat(25), 'last', 'cut'], timers });
    renderer.start();
    // 5 rows of room: the status, three for the wrapped line, "last"; the cursor waits on the 6th, "cut" is left out.
    expect(terminal.screen()).toEqual(['status', 'x'.repeat(10), 'x'.repeat(10), 'x'.repeat(5), 'last']);
    renderer.stop({ clear: true });
    expect(terminal.history()).toEqual([]);
  });
});
