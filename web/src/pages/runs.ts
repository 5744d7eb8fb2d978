import { api, query } from '../api.js';
import { statusBadge, verdictBadge } from '../badges.js';
import { h, replaceChildren } from '../dom.js';
import { formatDuration, formatTime } from '../format.js';
import type { View } from '../main.js';
import { dataTable } from '../table.js';
import { RUN_STATUSES, SCOPE_FIELDS, type LoadTest, type Page, type Run } from '../types.js';

const PAGE_SIZE = 20;

/** Runs, newest first, filtered and paged by the URL; statuses follow the run stream live. */
export const runsPage: View = async (main, route) => {
  const params = route.params;
  const offset = Math.max(0, Number(params.get('offset') ?? 0) || 0);
  const verdict = params.get('verdict') ?? '';
  const filter = { loadTestId: params.get('test'), status: params.get('status'), verdict, ...Object.fromEntries(SCOPE_FIELDS.map((field) => [field, params.get(field)])) };
  const [tests, page] = await Promise.all([
    api<Page<LoadTest>>('/v1/load-tests?limit=100'),
    api<Page<Run>>(`/v1/runs${query({ ...filter, limit: PAGE_SIZE, offset })}`),
  ]);
  const testNames = new Map(tests.items.map((test) => [test.id, test.name]));
  const runs = page.items;

  const usedScopes = SCOPE_FIELDS.filter((field) => params.get(field) || tests.items.some((test) => test[field] !== undefined));
  const select = (name: string, label: string, options: Array<[string, string]>, value: string) =>
    h('div', { class: 'field' }, h('label', { for: `filter-${name}` }, label), h('select', { id: `filter-${name}`, name }, options.map(([optionValue, text]) => h('option', { value: optionValue, selected: optionValue === value }, text))));
  const form = h(
    'form',
    { class: 'filters', role: 'search', 'aria-label': 'Filter runs', onsubmit: (event: Event) => apply(event) },
    select('test', 'Test', [['', 'All tests'], ...tests.items.map((test): [string, string] => [test.id, test.name])], params.get('test') ?? ''),
    select('status', 'Status', [['', 'Any status'], ...RUN_STATUSES.map((status): [string, string] => [status, status])], params.get('status') ?? ''),
    select('verdict', 'Verdict', [['', 'Any verdict'], ['passed', 'passed'], ['failed', 'failed'], ['none', 'not judged']], verdict),
    usedScopes.map((field) => h('div', { class: 'field' }, h('label', { for: `filter-${field}` }, field), h('input', { id: `filter-${field}`, name: field, value: params.get(field) ?? '', size: 12 }))),
    h('button', { type: 'submit' }, 'Filter'),
  );
  function apply(event: Event): void {
    event.preventDefault();
    const data = new FormData(form);
    const next: Record<string, string> = {};
    for (const [name, value] of data) if (typeof value === 'string' && value) next[name] = value;
    location.hash = `#/runs${query(next)}`;
  }

  const statusCells = new Map<string, HTMLElement>();
  const verdictCells = new Map<string, HTMLElement>();
  const table = dataTable<Run>(
    `Runs ${page.total === 0 ? '' : `${offset + 1}–${offset + page.items.length} of ${page.total}`}`,
    [
      { title: 'Run', cell: (run) => h('a', { href: `#/runs/${run.id}` }, run.name ?? run.id), value: (run) => run.name ?? run.id },
      { title: 'Test', cell: (run) => h('a', { href: `#/tests/${run.loadTestId}` }, testNames.get(run.loadTestId) ?? run.loadTestId), value: (run) => testNames.get(run.loadTestId) ?? run.loadTestId },
      { title: 'Status', cell: (run) => keep(statusCells, run.id, statusBadge(run.status)), value: (run) => run.status },
      { title: 'Verdict', cell: (run) => keep(verdictCells, run.id, verdictBadge(run.verdict)), value: (run) => run.verdict ?? '' },
      { title: 'Users', cell: (run) => String(run.targetUsers), value: (run) => run.targetUsers, numeric: true },
      { title: 'Duration', cell: (run) => formatDuration(run.durationSeconds), value: (run) => run.durationSeconds, numeric: true },
      { title: 'Created', cell: (run) => h('time', { datetime: run.createdAt }, formatTime(run.createdAt)), value: (run) => run.createdAt },
    ],
    runs,
    { empty: 'No runs match. Start one from a test’s page or with loadctl run.', id: 'runs-table' },
  );
  const pager = h(
    'nav',
    { class: 'pager', 'aria-label': 'Pages' },
    offset > 0 ? h('a', { href: `#/runs${query({ ...Object.fromEntries(params), offset: Math.max(0, offset - PAGE_SIZE) })}`, rel: 'prev' }, '← Newer') : null,
    offset + PAGE_SIZE < page.total ? h('a', { href: `#/runs${query({ ...Object.fromEntries(params), offset: offset + PAGE_SIZE })}`, rel: 'next' }, 'Older →') : null,
  );
  const live = h('p', { class: 'live-note', 'aria-live': 'polite' });
  replaceChildren(main, h('h1', {}, 'Runs'), form, table.element, pager, live);

  // Status changes of any run: the rows on this page change in place; a new run shows on the first page.
  const stream = new EventSource('/v1/events/runs');
  stream.addEventListener('run', (event) => {
    const run = JSON.parse((event as MessageEvent<string>).data) as Run;
    const status = statusCells.get(run.id);
    if (status) {
      status.replaceWith(keep(statusCells, run.id, statusBadge(run.status)));
      verdictCells.get(run.id)?.replaceWith(keep(verdictCells, run.id, verdictBadge(run.verdict)));
    } else if (offset === 0 && !verdict && (!filter.loadTestId || filter.loadTestId === run.loadTestId)) {
      replaceChildren(live, `New run ${run.name ?? run.id} (${run.status}). `, h('a', { href: `#/runs/${run.id}` }, 'Open it'));
    }
  });
  return () => stream.close();
};

function keep(cells: Map<string, HTMLElement>, id: string, element: HTMLElement): HTMLElement {
  cells.set(id, element);
  return element;
}
