// A tiny terminal that understands what the windowed renderer writes (text, \n, \r, cursor
// up, clear line, cursor show/hide), so tests can assert what a person would see.

export interface VirtualTerminal {
  write(text: string): boolean;
  columns: number;
  writes: string[];
  screen(): string[];
  cursorHidden: boolean;
}

export function createVirtualTerminal(columns = 80): VirtualTerminal {
  const rows: string[] = [''];
  let row = 0;
  let col = 0;
  const terminal: VirtualTerminal = {
    columns,
    writes: [],
    cursorHidden: false,
    write(text) {
      terminal.writes.push(text);
      const tokens = text.match(/\x1b\[[?0-9;]*[A-Za-z]|[\s\S]/g) ?? [];
      for (const token of tokens) {
        if (token === '\x1b[1A') row = Math.max(0, row - 1);
        else if (token === '\x1b[2K') rows[row] = '';
        else if (token === '\x1b[?25l') terminal.cursorHidden = true;
        else if (token === '\x1b[?25h') terminal.cursorHidden = false;
        else if (token.startsWith('\x1b[')) continue;
        else if (token === '\r') col = 0;
        else if (token === '\n') {
          row += 1;
          col = 0;
        } else {
          if (col === columns) {
            row += 1;
            col = 0;
          }
          const line = (rows[row] ?? '').padEnd(col);
          rows[row] = line.slice(0, col) + token + line.slice(col + 1);
          col += 1;
        }
        while (rows.length <= row) rows.push('');
      }
      return true;
    },
    screen: () => rows.slice(0, row + (col > 0 ? 1 : 0)),
  };
  return terminal;
}
