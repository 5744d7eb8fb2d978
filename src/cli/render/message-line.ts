// Messages that may come while the live view is drawn (a control plane log line, "Stopping
// the run…"): written straight to the terminal they would land inside the frame, and the next
// redraw would erase the wrong lines. While a renderer is attached they go above its window.
import type { WindowedRenderer } from './windowed-renderer.js';

export interface MessageLine {
  /** Prints one message: above the live view while it is drawn, on the fallback stream otherwise. */
  say(text: string): void;
  /** The renderer drawing now, or undefined once it has stopped. */
  attach(renderer: WindowedRenderer | undefined): void;
}

export function createMessageLine(fallback: { write(text: string): boolean }): MessageLine {
  let renderer: WindowedRenderer | undefined;
  return {
    say(text) {
      const lines = text.replace(/^\n+|\n+$/g, '');
      if (renderer) for (const line of lines.split('\n')) renderer.log(line);
      else fallback.write(`${text.endsWith('\n') ? text : `${text}\n`}`);
    },
    attach(next) {
      renderer = next;
    },
  };
}
