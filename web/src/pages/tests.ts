import { api } from '../api.js';
import { statusBadge } from '../badges.js';
import { h, replaceChildren } from '../dom.js';
import { formatDuration, formatTime } from '../format.js';
import type { View } from '../main.js';
import { dataTable } from '../table.js';
import type { LoadTest, Page } from '../types.js';

export const testsPage: View = async (main) => {
  const tests = await api<Page<LoadTest>>('/v1/load-tests?limit=100');
  const table = dataTable<LoadTest>(
    `Load tests (${tests.total})`,
    [
      { title: 'Test', cell: (test) => h('a', { href: `#/tests/${test.id}` }, test.name), value: (test) => test.name },
      { title: 'Target', cell: (test) => h('code', {}, test.targetUrl), value: (test) => test.targetUrl },
      { title: 'Users', cell: (test) => String(test.defaultUsers), value: (test) => test.defaultUsers, numeric: true },
      { title: 'Duration', cell: (test) => formatDuration(test.defaultDurationSec), value: (test) => test.defaultDurationSec, numeric: true },
      { title: 'Tags', cell: (test) => (test.tags ?? []).join(', ') },
      { title: 'Last run', cell: (test) => (test.recentRuns?.[0] ? h('a', { href: `#/runs/${test.recentRuns[0].runId}` }, statusBadge(test.recentRuns[0].status)) : '—'), value: (test) => test.recentRuns?.[0]?.createdAt ?? '' },
      { title: 'Created', cell: (test) => formatTime(test.createdAt), value: (test) => test.createdAt },
    ],
    tests.items,
    { id: 'tests-table', empty: 'No load tests yet: loadctl run --script FILE creates one.' },
  );
  replaceChildren(main, h('h1', {}, 'Tests'), table.element, tests.total > tests.items.length ? h('p', {}, `Showing the newest ${tests.items.length}.`) : null);
};
