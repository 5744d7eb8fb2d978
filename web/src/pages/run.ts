import { api, ApiError } from '../api.js';
import { isTerminal, statusBadge, verdictBadge } from '../badges.js';
import { newerRun } from '../run-order.js';
import { h, notice, replaceChildren } from '../dom.js';
import { formatDuration, formatMs, formatNumber, formatPercent, formatRps, formatTime } from '../format.js';
import type { View } from '../main.js';
import { runCharts } from '../run-charts.js';
import { dataTable } from '../table.js';
import type { EndpointResult, ErrorEntry, LoadTest, Run, RunResults, TimePoint, Verdict } from '../types.js';

/** One run: live while it runs (its event stream), its results once it ended. */
export const runPage: View = async (main, route) => {
  const id = route.path[1]!;
  let run = await api<Run>(`/v1/runs/${encodeURIComponent(id)}`);
  const test = await api<LoadTest>(`/v1/load-tests/${encodeURIComponent(run.loadTestId)}`).catch(() => undefined);

  const title = h('h1', {});
  const badges = h('p', { class: 'badges', 'aria-live': 'polite' });
  const facts = h('dl', { class: 'facts' });
  const progress = h('progress', { id: 'run-progress', max: 100, value: 0, 'aria-label': 'Progress' });
  const progressText = h('span', { class: 'progress-text' });
  const message = h('div', { 'aria-live': 'assertive' });
  const stopButton = h('button', { type: 'button', id: 'stop-run', class: 'danger', onclick: () => void stop() }, '■ Stop run');
  const downloads = h(
    'p',
    { class: 'downloads' },
    'Reports: ',
    (['json', 'junit', 'html'] as const).map((format) => h('a', { href: `/v1/runs/${encodeURIComponent(id)}/report?format=${format}`, download: '', class: 'button', id: `download-${format}` }, format === 'junit' ? 'JUnit XML' : format.toUpperCase())),
  );
  const totals = h('dl', { class: 'totals', id: 'totals' });
  const charts = runCharts();
  const endpoints = dataTable<EndpointResult>(
    'Endpoints',
    [
      { title: 'Endpoint', cell: (row) => `${row.method} ${row.name}`, value: (row) => `${row.method} ${row.name}` },
      { title: 'Requests', cell: (row) => formatNumber(row.requests), value: (row) => row.requests, numeric: true },
      { title: 'Failures', cell: (row) => formatNumber(row.failures), value: (row) => row.failures, numeric: true },
      { title: 'Error rate', cell: (row) => formatPercent(row.errorRate), value: (row) => row.errorRate, numeric: true },
      { title: 'RPS', cell: (row) => formatRps(row.rps), value: (row) => row.rps, numeric: true },
      { title: 'Avg', cell: (row) => formatMs(row.avgResponseMs), value: (row) => row.avgResponseMs, numeric: true },
      { title: 'p50', cell: (row) => formatMs(row.p50ResponseMs), value: (row) => row.p50ResponseMs, numeric: true },
      { title: 'p95', cell: (row) => formatMs(row.p95ResponseMs), value: (row) => row.p95ResponseMs, numeric: true },
      { title: 'p99', cell: (row) => formatMs(row.p99ResponseMs), value: (row) => row.p99ResponseMs, numeric: true },
      { title: 'Max', cell: (row) => formatMs(row.maxResponseMs), value: (row) => row.maxResponseMs, numeric: true },
    ],
    [],
    { id: 'endpoints-table', empty: 'No requests yet.' },
  );
  const errors = dataTable<ErrorEntry>(
    'Failures',
    [
      { title: 'Endpoint', cell: (row) => `${row.method} ${row.name}`, value: (row) => `${row.method} ${row.name}` },
      { title: 'Error', cell: (row) => h('code', {}, row.error), value: (row) => row.error },
      { title: 'Occurrences', cell: (row) => formatNumber(row.occurrences), value: (row) => row.occurrences, numeric: true },
    ],
    [],
    { id: 'errors-table', empty: 'No failed requests.' },
  );
  const exceptions = h('div', { id: 'exceptions' });
  const thresholds = h('div', { id: 'thresholds' });
  const history = h('ol', { class: 'history' });

  replaceChildren(
    main,
    h('p', { class: 'crumbs' }, h('a', { href: '#/runs' }, 'Runs'), ' / ', test ? h('a', { href: `#/tests/${test.id}` }, test.name) : run.loadTestId),
    title,
    badges,
    h('div', { class: 'progress' }, progress, progressText),
    h('div', { class: 'actions' }, stopButton, downloads),
    message,
    facts,
    h('section', { 'aria-labelledby': 'h-totals' }, h('h2', { id: 'h-totals' }, 'Totals'), totals),
    h('section', { class: 'charts', 'aria-labelledby': 'h-charts' }, h('h2', { id: 'h-charts' }, 'Over time'), charts.elements),
    h('section', { 'aria-labelledby': 'h-endpoints' }, h('h2', { id: 'h-endpoints' }, 'Endpoints'), endpoints.element),
    h('section', { 'aria-labelledby': 'h-thresholds' }, h('h2', { id: 'h-thresholds' }, 'Thresholds'), thresholds),
    h('section', { 'aria-labelledby': 'h-errors' }, h('h2', { id: 'h-errors' }, 'Failures and exceptions'), errors.element, exceptions),
    h('section', { 'aria-labelledby': 'h-history' }, h('h2', { id: 'h-history' }, 'Status history'), history),
  );

  function showRun(): void {
    title.textContent = run.name ?? `Run ${run.id}`;
    replaceChildren(badges, h('span', { id: 'run-status' }, statusBadge(run.status)), ' ', h('span', { id: 'run-verdict' }, verdictBadge(run.verdict)), run.autoStopped ? ' (stopped at the end of its duration)' : '');
    showProgress();
    stopButton.disabled = isTerminal(run.status);
    showFacts();
  }

  function showProgress(): void {
    const elapsed = run.startedAt ? ((run.finishedAt ? Date.parse(run.finishedAt) : Date.now()) - Date.parse(run.startedAt)) / 1000 : 0;
    const percent = run.status === 'Finished' ? 100 : Math.min(100, Math.round((elapsed / Math.max(1, run.durationSeconds)) * 100));
    progress.value = percent;
    progressText.textContent = `${percent} % · ${formatDuration(elapsed)} of ${formatDuration(run.durationSeconds)}`;
  }

  function showFacts(): void {
    const fact = (term: string, value: string | Node, fieldId?: string) => h('div', {}, h('dt', {}, term), h('dd', { id: fieldId }, value));
    replaceChildren(
      facts,
      fact('Target', h('code', {}, run.targetUrl), 'run-target'),
      fact('Users', `${run.lastMetrics ? `${run.lastMetrics.currentUsers} now, ` : ''}${run.targetUsers} target`, 'run-users'),
      fact('Spawn rate', `${formatNumber(run.spawnRate, run.spawnRate % 1 ? 1 : 0)} per second`),
      fact('Created', formatTime(run.createdAt)),
      fact('Started', formatTime(run.startedAt)),
      fact('Ended', formatTime(run.finishedAt)),
      fact('Run id', h('code', {}, run.id)),
    );
    if (run.error) replaceChildren(message, notice(run.error, 'error'));
    showThresholds();
    replaceChildren(history, run.statusHistory.map((change) => h('li', {}, h('time', { datetime: change.at }, formatTime(change.at)), ` ${change.from ?? '—'} → ${change.to}`, change.reason ? ` (${change.reason})` : '')));
  }

  function showThresholds(): void {
    const verdicts = run.thresholdVerdicts ?? [];
    if (verdicts.length === 0) {
      const set = run.thresholds ?? [];
      replaceChildren(thresholds, set.length ? h('ul', {}, set.map((threshold) => h('li', {}, h('code', {}, threshold.text), isTerminal(run.status) ? ' — not judged' : ' — judged when the run ends'))) : h('p', {}, 'This run has no thresholds.'));
      return;
    }
    replaceChildren(
      thresholds,
      dataTable<Verdict>(
        'Threshold verdicts',
        [
          { title: 'Threshold', cell: (row) => h('code', {}, row.threshold), value: (row) => row.threshold },
          { title: 'Observed', cell: (row) => (row.observed === null ? (row.reason ?? 'no data') : formatNumber(row.observed, 2)), value: (row) => row.observed ?? -1, numeric: true },
          { title: 'Verdict', cell: (row) => verdictBadge(row.passed ? 'passed' : 'failed'), value: (row) => (row.passed ? 1 : 0) },
          { title: 'Source', cell: (row) => (row.isDefault ? 'default' : 'run') },
        ],
        verdicts,
        { id: 'thresholds-table' },
      ).element,
    );
  }

  let refreshing = false;
  let again = false;
  async function refresh(): Promise<void> {
    if (refreshing) {
      again = true;
      return;
    }
    refreshing = true;
    try {
      const [results, series] = await Promise.all([api<RunResults>(`/v1/runs/${encodeURIComponent(id)}/summary`), api<{ points: TimePoint[] }>(`/v1/runs/${encodeURIComponent(id)}/metrics/timeseries`)]);
      showResults(results);
      charts.show(series.points);
    } finally {
      refreshing = false;
      if (again) {
        again = false;
        void refresh();
      }
    }
  }

  function showResults(results: RunResults): void {
    const total = results.totals;
    const item = (term: string, id: string, value: number, text: string) => h('div', {}, h('dt', {}, term), h('dd', { id, 'data-value': String(value) }, text));
    replaceChildren(
      totals,
      item('Requests', 'total-requests', total.requests, formatNumber(total.requests)),
      item('Failures', 'total-failures', total.failures, formatNumber(total.failures)),
      item('Error rate', 'total-error-rate', total.errorRate, formatPercent(total.errorRate)),
      item('RPS', 'total-rps', total.rps, formatRps(total.rps)),
      item('p50', 'total-p50', total.p50ResponseMs, formatMs(total.p50ResponseMs)),
      item('p95', 'total-p95', total.p95ResponseMs, formatMs(total.p95ResponseMs)),
      item('p99', 'total-p99', total.p99ResponseMs, formatMs(total.p99ResponseMs)),
      item('Exceptions', 'total-exceptions', total.exceptions, formatNumber(total.exceptions)),
    );
    endpoints.update(results.endpoints);
    errors.update(results.errors);
    replaceChildren(
      exceptions,
      results.exceptions.length === 0
        ? h('p', {}, 'No exceptions in tasks.')
        : h('ul', { class: 'exceptions' }, results.exceptions.map((entry) => h('li', {}, h('details', {}, h('summary', {}, h('code', {}, entry.message), ` ×${entry.count} at ${entry.where}`), h('pre', { tabindex: 0 }, entry.traceback))))),
    );
  }

  async function stop(): Promise<void> {
    stopButton.disabled = true;
    stopButton.setAttribute('aria-busy', 'true');
    try {
      // Compared with the run as it stands once the answer is here, not as it stood at the click:
      // the stream may have delivered the end meanwhile.
      const answer = await api<Run>(`/v1/runs/${encodeURIComponent(id)}/stop`, { method: 'POST' });
      run = newerRun(run, answer);
      if (!isTerminal(run.status)) replaceChildren(message, notice('Stopping the run…'));
      showRun();
    } catch (error) {
      replaceChildren(message, notice(error instanceof ApiError ? error.message : String(error), 'error'));
      stopButton.disabled = isTerminal(run.status);
    } finally {
      stopButton.removeAttribute('aria-busy');
    }
  }

  showRun();
  await refresh();
  if (isTerminal(run.status)) return () => charts.destroy();

  let lastSeq = run.lastMetrics?.seq ?? -1;
  let lastStatus = run.status;
  const stream = new EventSource(`/v1/runs/${encodeURIComponent(id)}/events`);
  stream.addEventListener('run', (event) => {
    run = newerRun(run, JSON.parse((event as MessageEvent<string>).data) as Run);
    showRun();
    const seq = run.lastMetrics?.seq ?? -1;
    if (seq !== lastSeq || run.status !== lastStatus) {
      lastSeq = seq;
      lastStatus = run.status;
      void refresh();
    }
    if (isTerminal(run.status)) {
      stream.close();
      replaceChildren(message, run.error ? notice(run.error, 'error') : notice(`The run ended: ${run.status}.`));
    }
  });
  // The progress bar moves between pushes too.
  const ticker = setInterval(() => !isTerminal(run.status) && showProgress(), 1000);
  return () => {
    stream.close();
    clearInterval(ticker);
    charts.destroy();
  };
};
