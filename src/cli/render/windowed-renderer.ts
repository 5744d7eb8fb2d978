// Keeps a window of lines (the live table) at the bottom of a terminal, redrawn in place at
// a bounded rate, with log lines scrolling above it. Modelled on vitest's windowedRenderer.
import { visibleWidth } from './_text.js';

export interface RendererStream {
  write(text: string): boolean;
  columns?: number;
  rows?: number;
}

/** The room a window has: the terminal's width, and its height less the line the cursor waits on. */
export interface WindowSize {
  columns: number;
  rows: number;
}

export interface RendererTimers {
  setInterval(callback: () => void, ms: number): unknown;
  clearInterval(handle: unknown): void;
}

export interface WindowedRenderer {
  start(): void;
  /** Prints `line` above the window. */
  log(line: string): void;
  /**
   * Gives the cursor back. By default draws the last frame and leaves it on screen; with
   * `clear`, removes the window (when a summary that repeats it follows).
   */
  stop(options?: { clear?: boolean }): void;
}

const ESC = '\x1b[';
const HIDE_CURSOR = `${ESC}?25l`;
const SHOW_CURSOR = `${ESC}?25h`;
const ERASE_LINE_ABOVE = `${ESC}1A${ESC}2K`;

const defaultTimers: RendererTimers = {
  setInterval: (callback, ms) => setInterval(callback, ms),
  clearInterval: (handle) => clearInterval(handle as NodeJS.Timeout),
};

export function createWindowedRenderer(options: {
  stream: RendererStream;
  /** The lines to show, fitted to `size` (the renderer cuts whatever is still taller). */
  getWindow: (size: WindowSize) => string[];
  intervalMs?: number;
  timers?: RendererTimers;
}): WindowedRenderer {
  const { stream, getWindow, intervalMs = 100, timers = defaultTimers } = options;
  let handle: unknown;
  let active = false;
  /** Terminal rows the window occupies now; wrapped lines take more than one. */
  let drawnRows = 0;
  let lastFrame: string | undefined;

  const rowsOf = (line: string) => Math.max(1, Math.ceil(visibleWidth(line) / (stream.columns || Infinity)));
  const erase = () => ERASE_LINE_ABOVE.repeat(drawnRows) + (drawnRows > 0 ? '\r' : '');
  // A window taller than the screen scrolls its top into the scrollback, where the cursor
  // cannot go back to erase it: every redraw would then leave a copy there.
  const size = (): WindowSize => ({ columns: stream.columns || Infinity, rows: stream.rows ? Math.max(1, stream.rows - 1) : Infinity });
  const fit = (lines: string[], rows: number): string[] => {
    let used = 0;
    const kept: string[] = [];
    for (const line of lines) {
      used += rowsOf(line);
      if (used > rows) break;
      kept.push(line);
    }
    return kept;
  };

  // One write per frame (erase and new lines together) so the terminal never shows a half frame.
  function draw(force: boolean, before = ''): void {
    const room = size();
    const lines = fit(getWindow(room), room.rows);
    const frame = lines.join('\n');
    if (!force && frame === lastFrame) return;
    const body = lines.map((line) => `${line}\n`).join('');
    stream.write(erase() + before + body);
    drawnRows = lines.reduce((rows, line) => rows + rowsOf(line), 0);
    lastFrame = frame;
  }

  return {
    start() {
      if (active) return;
      active = true;
      stream.write(HIDE_CURSOR);
      draw(true);
      handle = timers.setInterval(() => draw(false), intervalMs);
      // The renderer must never be what keeps the process alive.
      (handle as { unref?: () => void } | undefined)?.unref?.();
    },
    log(line) {
      if (!active) {
        stream.write(`${line}\n`);
        return;
      }
      draw(true, `${line}\n`);
    },
    stop({ clear = false } = {}) {
      if (!active) return;
      active = false;
      timers.clearInterval(handle);
      if (clear) stream.write(erase());
      else draw(true);
      drawnRows = 0;
      stream.write(SHOW_CURSOR);
    },
  };
}
