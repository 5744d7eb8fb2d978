// The live table in a real terminal (tmux, 80×24): a script that makes 30 dynamic URLs must
// not scroll the status line away nor leave copies of the frame in the scrollback.
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BIN, REPO_ROOT } from '../support/cli.js';
import { locustBinForTests } from '../support/locust-runtime.js';
import { waitFor } from '../support/serve.js';
import { startTmux, type TmuxSession } from '../support/tmux.js';

const COLUMNS = 80;
const ROWS = 24;
const SCRIPT = join(REPO_ROOT, 'test/e2e/fixtures/dynamic-items.py');
/** The live frame's status line: "… · Running · users 2/2 · 00:03 / 00:08 · …". */
const STATUS_LINE = /users \d+\/\d+ · \d\d:\d\d \/ \d\d:\d\d/;
/** The summary's first detail line, printed once the run is over. */
const SUMMARY_LINE = /^ {2}Duration {2}/;

const quote = (text: string) => `'${text.replace(/'/g, `'\\''`)}'`;

describe('loadctl run in an 80×24 terminal with 30 dynamic URLs', () => {
  let target: Server;
  let workDir: string;
  let tmux: TmuxSession;
  const captures: Array<{ screen: string[]; history: string[] }> = [];

  beforeAll(async () => {
    workDir = mkdtempSync(join(tmpdir(), 'loadctl-pty-'));
    target = createServer((request, response) => response.end(`ok ${request.url}`));
    await new Promise<void>((resolve) => target.listen(0, '127.0.0.1', resolve));
    const host = `http://127.0.0.1:${(target.address() as AddressInfo).port}`;
    const args = ['run', '--script', SCRIPT, '--host', host, '--users', '2', '--duration', '8', '--metrics-interval', '1', '--data-dir', join(workDir, 'data'), '--locust-bin', locustBinForTests()];
    // A terminal, not CI: the live table is drawn only when stdout is a TTY and CI is unset.
    const command = `env -u CI NO_COLOR=1 TERM=xterm-256color ${quote(process.execPath)} ${quote(BIN)} ${args.map(quote).join(' ')}`;
    tmux = startTmux(command, { columns: COLUMNS, rows: ROWS, cwd: REPO_ROOT });
    await waitFor(
      async () => {
        captures.push({ screen: tmux.screen(), history: tmux.history() });
        return tmux.exited();
      },
      (exited) => exited,
      { timeoutMs: 90_000, what: 'loadctl run to exit' },
    );
    captures.push({ screen: tmux.screen(), history: tmux.history() });
  }, 120_000);

  afterAll(async () => {
    tmux?.close();
    await new Promise((resolve) => target?.close(resolve));
    if (workDir) rmSync(workDir, { recursive: true, force: true });
  });

  const lastHistory = () => captures.at(-1)!.history.join('\n');
  /** Captures taken while the live frame was up: before the summary was printed. */
  const liveCaptures = () => captures.filter((capture) => !capture.history.some((line) => SUMMARY_LINE.test(line)));

  it('exits 0 after the run', () => {
    expect(tmux.exitStatus(), lastHistory()).toBe(0);
    expect(lastHistory()).toMatch(/^Run \S+ of "dynamic-items": 2 users for 8s against/m);
  });

  it('keeps the status line on screen whenever endpoint rows are shown', () => {
    const withRows = liveCaptures().filter((capture) => capture.screen.some((line) => line.includes('/item/')));
    expect(withRows.length, lastHistory()).toBeGreaterThan(0);
    for (const { screen } of withRows) expect(screen.filter((line) => STATUS_LINE.test(line)), screen.join('\n')).toHaveLength(1);
  });

  it('shows the busiest endpoints and says how many more there are', () => {
    const running = liveCaptures().filter((capture) => capture.screen.some((line) => STATUS_LINE.test(line) && line.includes('Running')));
    expect(running.some((capture) => capture.screen.some((line) => /… \d+ more/.test(line))), lastHistory()).toBe(true);
  });

  it('never draws more than the terminal holds nor leaves frame copies in the scrollback', () => {
    for (const { screen, history } of captures) {
      expect(screen.length).toBeLessThanOrEqual(ROWS);
      expect(history.filter((line) => STATUS_LINE.test(line)).length, history.join('\n')).toBeLessThanOrEqual(1);
    }
  });

  it('tells once how to group the dynamic URLs with name=', () => {
    const history = captures.at(-1)!.history;
    expect(history.filter((line) => line.startsWith('Hint:')), lastHistory()).toEqual([expect.stringContaining('30 rows are one GET endpoint with different ids')]);
    expect(history.some((line) => line.includes('self.client.get(url, name="/item/[id]")')), lastHistory()).toBe(true);
  });
});
