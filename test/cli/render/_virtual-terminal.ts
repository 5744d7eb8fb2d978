// A tiny terminal that understands what the windowed renderer writes (text, \n, \r, cursor
// up, clear line, cursor show/hide), so tests can assert what a person would see. With a
// height it scrolls like a real one: lines leaving the top go to the scrollback, where the
// cursor cannot go back.

export interface VirtualTerminal {
  write(text: string): boolean;
  columns: number;
  rows?: number;
  writes: string[];
  /** Lines from the top of the screen down to the cursor's line. */
  screen(): string[];
  /** The scrollback and the screen, oldest first. */
  history(): string[];
  cursorHidden: boolean;
}

export function createVirtualTerminal(columns = 80, height?: number): VirtualTerminal {
  const lines: string[] = [''];
  let top = 0;
  let row = 0;
  let col = 0;
  const down = () => {
    row += 1;
    col = 0;
    while (lines.length <= row) lines.push('');
    if (height !== undefined && row - top >= height) top = row - height + 1;
  };
  const terminal: VirtualTerminal = {
    columns,
    ...(height === undefined ? {} : { rows: height }),
    writes: [],
    cursorHidden: false,
    write(text) {
      terminal.writes.push(text);
      const tokens = text.match(/\x1b\[[?0-9;]*[A-Za-z]|[\s\S]/g) ?? [];
      for (const token of tokens) {
        if (token === '\x1b[1A') row = Math.max(top, row - 1);
        else if (token === '\x1b[2K') lines[row] = '';
        else if (token === '\x1b[?25l') terminal.cursorHidden = true;
        else if (token === '\x1b[?25h') terminal.cursorHidden = false;
        else if (token.startsWith('\x1b[')) continue;
        else if (token === '\r') col = 0;
        else if (token === '\n') down();
        else {
          if (col === columns) down();
          const line = (lines[row] ?? '').padEnd(col);
          lines[row] = line.slice(0, col) + token + line.slice(col + 1);
          col += 1;
        }
      }
      return true;
    },
    screen: () => lines.slice(top, row + (col > 0 ? 1 : 0)),
    history: () => lines.slice(0, row + (col > 0 ? 1 : 0)),
  };
  return terminal;
}
