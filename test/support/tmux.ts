// A real terminal for tests: a detached tmux session of a given size on its own socket, so a
// test sees what a person would see (the visible screen and the scrollback) and tmux's own
// terminal emulation decides what scrolled, not ours.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface TmuxSession {
  /** The visible screen, one string per row. */
  screen(): string[];
  /** The scrollback and the visible screen, oldest first. */
  history(): string[];
  /** Whether the command has exited (its screen stays readable: remain-on-exit). */
  exited(): boolean;
  /** The command's exit status once it has exited. */
  exitStatus(): number | undefined;
  /** Types keys into the pane, in tmux's names (`C-c` is Ctrl+C). */
  sendKeys(...keys: string[]): void;
  close(): void;
}

/** Runs `command` (a shell command line) in a `columns`×`rows` tmux pane. */
export function startTmux(command: string, options: { columns: number; rows: number; cwd: string }): TmuxSession {
  const dir = mkdtempSync(join(tmpdir(), 'loadctl-tmux-'));
  const socket = join(dir, 'socket');
  const config = join(dir, 'tmux.conf');
  // remain-on-exit keeps the last screen to read after the command ends.
  writeFileSync(config, 'set -g remain-on-exit on\nset -g history-limit 50000\nset -g status off\n');
  const tmux = (...args: string[]): string => execFileSync('tmux', ['-S', socket, '-f', config, ...args], { cwd: options.cwd, encoding: 'utf8' });
  try {
    execFileSync('tmux', ['-V'], { encoding: 'utf8' });
  } catch {
    // A failure, never a skip: this is the only test of what a real terminal shows.
    throw new Error('No tmux for the terminal test. Run the suite with scripts/test.sh, which installs it, or apt-get install tmux.');
  }
  // The pane's shell waits for the command and writes its exit status to a file: tmux's own
  // pane_dead_status depends on the tmux server reaping the process, which it does not always
  // do when started from a test worker (the command was seen as a zombie with no status).
  // `trap : INT` keeps the shell alive through Ctrl+C; the command still gets the signal.
  const statusFile = join(dir, 'exit-status');
  const script = `trap : INT; ${command}; echo $? > ${statusFile}.tmp && mv ${statusFile}.tmp ${statusFile}`;
  tmux('new-session', '-c', options.cwd, '-d', '-s', 'pty', '-x', String(options.columns), '-y', String(options.rows), script);
  const writtenStatus = (): string | undefined => (existsSync(statusFile) ? readFileSync(statusFile, 'utf8').trim() : undefined);
  return {
    screen: () => tmux('capture-pane', '-p', '-t', 'pty').replace(/\n$/, '').split('\n'),
    history: () => tmux('capture-pane', '-p', '-t', 'pty', '-S', '-', '-E', '-').replace(/\n$/, '').split('\n'),
    exited: () => writtenStatus() !== undefined,
    sendKeys: (...keys) => void tmux('send-keys', '-t', 'pty', ...keys),
    exitStatus: () => {
      const status = writtenStatus();
      return status === undefined ? undefined : Number(status);
    },
    close() {
      try {
        tmux('kill-server');
      } catch {
        // already gone
      }
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
