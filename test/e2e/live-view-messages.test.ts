// Issue 10, scenario 10: a message printed while the live view is drawn (Ctrl+C's "Stopping
// the run…") goes above the window, through the renderer. Written straight to the terminal it
// lands under the frame, and the next redraw erases the wrong rows: the message vanishes and
// the top of an old frame stays behind. A real terminal (tmux) decides what is left.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startDemoTarget, type DemoTarget } from '../../src/demo-target/index.js';
import { BIN, REPO_ROOT } from '../support/cli.js';
import { locustBinForTests } from '../support/locust-runtime.js';
import { waitFor } from '../support/serve.js';
import { startTmux, type TmuxSession } from '../support/tmux.js';

const STATUS_LINE = /users \d+\/\d+ · \d\d:\d\d \/ \d\d:\d\d/;
const quote = (text: string) => `'${text.replace(/'/g, `'\\''`)}'`;

describe('a message while the live view is drawn', () => {
  let target: DemoTarget;
  let workDir: string;
  let tmux: TmuxSession;
  let history: string[] = [];

  beforeAll(async () => {
    workDir = mkdtempSync(join(tmpdir(), 'loadctl-pty-msg-'));
    target = await startDemoTarget({ port: 0 });
    const args = ['run', '--script', join(REPO_ROOT, 'locust/examples/products.py'), '--host', target.url, '--users', '2', '--duration', '60', '--metrics-interval', '0.5', '--data-dir', join(workDir, 'data'), '--locust-bin', locustBinForTests()];
    tmux = startTmux(`env -u CI NO_COLOR=1 TERM=xterm-256color ${quote(process.execPath)} ${quote(BIN)} ${args.map(quote).join(' ')}`, { columns: 100, rows: 30, cwd: REPO_ROOT });
    await waitFor(async () => tmux.screen(), (screen) => screen.some((line) => STATUS_LINE.test(line) && line.includes('Running')), { timeoutMs: 60_000, what: 'the live view of a Running run' });
    tmux.sendKeys('C-c');
    await waitFor(async () => tmux.exited(), (exited) => exited, { timeoutMs: 60_000, what: 'loadctl run to exit after Ctrl+C' });
    history = tmux.history();
  }, 150_000);

  afterAll(async () => {
    tmux?.close();
    await target?.close();
    if (workDir) rmSync(workDir, { recursive: true, force: true });
  });

  it('exits 130 and the message stays readable, once', () => {
    expect(tmux.exitStatus(), history.join('\n')).toBe(130);
    expect(history.filter((line) => line.includes('Stopping the run')), history.join('\n')).toHaveLength(1);
  });

  it('leaves no piece of an old frame behind', () => {
    // The window is cleared before the summary: no status line of the live view may remain.
    expect(history.filter((line) => STATUS_LINE.test(line)), history.join('\n')).toEqual([]);
  });
});
