import { api, ApiError } from '../api.js';
import { statusBadge, verdictBadge } from '../badges.js';
import { lineChart } from '../charts.js';
import { diffLines } from '../diff.js';
import { h, notice, replaceChildren } from '../dom.js';
import { formatMs, formatNumber, formatRps, formatTime } from '../format.js';
import type { View } from '../main.js';
import { dataTable } from '../table.js';
import type { HistoryPoint, LoadTest, Revision, Run } from '../types.js';

const decode = (base64: string): string => new TextDecoder().decode(Uint8Array.from(atob(base64), (char) => char.charCodeAt(0)));

/** A test: start a run, its history over runs, its script revisions (view, diff). */
export const testPage: View = async (main, route) => {
  const id = encodeURIComponent(route.path[1]!);
  const [test, revisions, history] = await Promise.all([
    api<LoadTest>(`/v1/load-tests/${id}`),
    api<{ items: Revision[] }>(`/v1/load-tests/${id}/script/revisions`),
    api<{ items: HistoryPoint[] }>(`/v1/load-tests/${id}/history`),
  ]);

  // Start a run.
  const message = h('div', { 'aria-live': 'assertive' });
  const numberField = (name: string, label: string, value: number, min: number, step = '1') =>
    h('div', { class: 'field' }, h('label', { for: `start-${name}` }, label), h('input', { id: `start-${name}`, name, type: 'number', min, step, value, required: true }));
  const form = h(
    'form',
    { class: 'card start', 'aria-labelledby': 'h-start', onsubmit: (event: Event) => void start(event) },
    h('h2', { id: 'h-start' }, 'Start a run'),
    h('div', { class: 'fields' }, numberField('users', 'Users', test.defaultUsers, 1), numberField('spawnRate', 'Spawn rate (users/s)', test.defaultSpawnRate, 0.1, 'any'), numberField('duration', 'Duration (seconds)', test.defaultDurationSec, 1)),
    h('button', { type: 'submit', class: 'primary', id: 'start-run' }, '▶ Start run'),
    message,
  );
  async function start(event: Event): Promise<void> {
    event.preventDefault();
    const data = new FormData(form);
    const button = form.querySelector('button')!;
    button.disabled = true;
    try {
      const run = await api<Run>(`/v1/load-tests/${id}/runs`, {
        method: 'POST',
        body: { targetUsers: Number(data.get('users')), spawnRate: Number(data.get('spawnRate')), durationSeconds: Number(data.get('duration')) },
      });
      location.hash = `#/runs/${run.id}`;
    } catch (error) {
      replaceChildren(message, notice(error instanceof ApiError ? error.message : String(error), 'error'));
      button.disabled = false;
    }
  }

  // History over runs: p95 and RPS of each run (as its summary shows them).
  const chart = lineChart(
    'p95 (ms) and RPS over runs',
    [
      { label: 'p95 ms', colorVar: '--c3', scale: 'ms' },
      { label: 'RPS', colorVar: '--c2', scale: 'rps', dash: [6, 4] },
    ],
    { id: 'chart-history', axes: [{ scale: 'ms', label: 'ms' }, { scale: 'rps', label: 'RPS' }] },
  );
  const measured = history.items.filter((point) => point.requests > 0);
  chart.setData(
    measured.map((point) => Date.parse(point.createdAt) / 1000),
    [measured.map((point) => point.p95ResponseMs), measured.map((point) => point.rps)],
  );
  const historyTable = dataTable<HistoryPoint>(
    'Runs of this test, oldest first',
    [
      { title: 'Run', cell: (point) => h('a', { href: `#/runs/${point.runId}` }, point.name ?? point.runId), value: (point) => point.createdAt },
      { title: 'Status', cell: (point) => statusBadge(point.status), value: (point) => point.status },
      { title: 'Verdict', cell: (point) => verdictBadge(point.verdict), value: (point) => point.verdict ?? '' },
      { title: 'Requests', cell: (point) => formatNumber(point.requests), value: (point) => point.requests, numeric: true },
      { title: 'RPS', cell: (point) => formatRps(point.rps), value: (point) => point.rps, numeric: true },
      { title: 'p95', cell: (point) => formatMs(point.p95ResponseMs), value: (point) => point.p95ResponseMs, numeric: true },
      { title: 'Created', cell: (point) => formatTime(point.createdAt), value: (point) => point.createdAt },
    ],
    history.items,
    { id: 'history-table', empty: 'No runs yet.' },
  );

  // Revisions: view one, diff two.
  const viewer = h('div', { id: 'script-view', 'aria-live': 'polite' });
  const fetchScript = async (revision: number): Promise<string> => decode((await api<Revision>(`/v1/load-tests/${id}/script/revisions/${revision}`)).scriptContent ?? '');
  const revisionTable = dataTable<Revision>(
    'Script revisions',
    [
      { title: 'Revision', cell: (rev) => `#${rev.revision}`, value: (rev) => rev.revision, numeric: true },
      { title: 'Created', cell: (rev) => formatTime(rev.createdAt), value: (rev) => rev.createdAt },
      { title: 'Size', cell: (rev) => (rev.sizeBytes === undefined ? '–' : `${formatNumber(rev.sizeBytes)} B`), value: (rev) => rev.sizeBytes ?? 0, numeric: true },
      { title: 'SHA-256', cell: (rev) => h('code', {}, (rev.sha256 ?? '').slice(0, 12)) },
      { title: 'Script', cell: (rev) => h('button', { type: 'button', class: 'link', onclick: () => void view(rev.revision) }, `View #${rev.revision}`) },
    ],
    revisions.items,
    { id: 'revisions-table' },
  );
  async function view(revision: number): Promise<void> {
    const text = await fetchScript(revision);
    replaceChildren(viewer, h('h3', {}, `Revision #${revision}`), h('pre', { class: 'script', tabindex: 0 }, h('code', {}, text)));
  }
  const numbers = revisions.items.map((rev) => rev.revision);
  const revisionSelect = (name: string, label: string, value: number | undefined) =>
    h('div', { class: 'field' }, h('label', { for: `diff-${name}` }, label), h('select', { id: `diff-${name}`, name }, numbers.map((n) => h('option', { value: n, selected: n === value }, `#${n}`))));
  const diffForm = h(
    'form',
    { class: 'filters', 'aria-label': 'Compare two revisions', onsubmit: (event: Event) => void diff(event) },
    revisionSelect('from', 'From', numbers.at(-2) ?? numbers[0]),
    revisionSelect('to', 'To', numbers.at(-1)),
    h('button', { type: 'submit', id: 'diff-revisions' }, 'Show differences'),
  );
  async function diff(event: Event): Promise<void> {
    event.preventDefault();
    const data = new FormData(diffForm);
    const [from, to] = [Number(data.get('from')), Number(data.get('to'))];
    const [before, after] = await Promise.all([fetchScript(from), fetchScript(to)]);
    const lines = diffLines(before, after);
    const changed = lines.filter((line) => line.kind !== 'same').length;
    replaceChildren(
      viewer,
      h('h3', {}, `Revision #${from} → #${to}: ${changed} changed line${changed === 1 ? '' : 's'}`),
      h('pre', { class: 'diff', id: 'diff', tabindex: 0 }, lines.map((line) => h('span', { class: `line ${line.kind}` }, line.kind === 'added' ? '+ ' : line.kind === 'removed' ? '- ' : '  ', line.text, '\n'))),
    );
  }

  const scope = Object.entries(test).filter(([field, value]) => ['accountId', 'orgId', 'projectId', 'envId', 'tenantId'].includes(field) && typeof value === 'string');
  replaceChildren(
    main,
    h('p', { class: 'crumbs' }, h('a', { href: '#/tests' }, 'Tests'), ' / ', test.name),
    h('h1', {}, test.name),
    test.description ? h('p', {}, test.description) : null,
    h(
      'dl',
      { class: 'facts' },
      h('div', {}, h('dt', {}, 'Target'), h('dd', {}, h('code', {}, test.targetUrl))),
      h('div', {}, h('dt', {}, 'Test id'), h('dd', {}, h('code', {}, test.id))),
      scope.map(([field, value]) => h('div', {}, h('dt', {}, field), h('dd', {}, String(value)))),
      h('div', {}, h('dt', {}, 'Runs'), h('dd', {}, h('a', { href: `#/runs?test=${test.id}` }, 'All runs of this test'))),
    ),
    form,
    h('section', { 'aria-labelledby': 'h-history' }, h('h2', { id: 'h-history' }, 'History'), measured.length > 0 ? chart.element : h('p', {}, 'No run with requests yet.'), historyTable.element),
    h('section', { 'aria-labelledby': 'h-revisions' }, h('h2', { id: 'h-revisions' }, 'Script'), revisionTable.element, numbers.length > 1 ? diffForm : null, viewer),
  );
  return () => chart.destroy();
};
