// Report downloads for the console: the same renderers and the same inputs as `loadctl run
// --json/--junit/--html` and `loadctl report`, so a download equals the CLI's file.
import type { FastifyInstance } from 'fastify';
import { compareRuns } from '../domain/compare.js';
import { LoadctlError } from '../domain/errors.js';
import { summarizeResults } from '../domain/summary.js';
import type { ControlPlaneDeps } from '../controlplane/context.js';
import { runNotFound, testNotFound } from '../controlplane/load-test-service.js';
import { errorResponse } from '../controlplane/response-schemas.js';
import { idParams } from '../controlplane/schemas.js';
import { toRunView } from '../controlplane/views.js';
import type { ReportInput } from '../cli/reports/index.js';

const FORMATS = {
  json: { type: 'application/json; charset=utf-8', extension: 'json' },
  junit: { type: 'application/xml; charset=utf-8', extension: 'xml' },
  html: { type: 'text/html; charset=utf-8', extension: 'html' },
} as const;
type Format = keyof typeof FORMATS;
const errors = { 400: errorResponse, 401: errorResponse, 404: errorResponse, 503: errorResponse };

export async function consoleReportRoutes(app: FastifyInstance, { deps }: { deps: ControlPlaneDeps }): Promise<void> {
  app.get<{ Params: { id: string }; Querystring: { format: Format } }>(
    '/v1/runs/:id/report',
    {
      schema: {
        summary: 'A run’s report file, as `loadctl report` writes it (json, junit or html)',
        params: idParams,
        querystring: { type: 'object', properties: { format: { type: 'string', enum: Object.keys(FORMATS) } }, required: ['format'], additionalProperties: false },
        response: { 200: { type: 'string' }, ...errors },
      },
    },
    async (request, reply) => {
      const run = await deps.store.getRun(request.params.id);
      if (!run) throw runNotFound(request.params.id);
      const test = await deps.store.getLoadTest(run.loadTestId);
      const view = toRunView(run);
      const input: ReportInput = { run: view, testName: test?.name ?? run.loadTestId, pushes: await deps.store.listMetrics(run.id), verdicts: view.thresholdVerdicts ?? [], generatedAt: deps.now().toISOString() };
      const format = request.query.format;
      // Loaded on the first download, not at start-up: most control planes never render one.
      const { loadChartLibrary, renderHtmlReport, renderJUnitReport, renderJsonReport } = await import('../cli/reports/index.js');
      const body =
        format === 'json' ? `${JSON.stringify(renderJsonReport(input), null, 2)}\n` : format === 'junit' ? renderJUnitReport(input) : renderHtmlReport(input, { chartLibrary: await loadChartLibrary() });
      // Downloaded, never shown here: the HTML report's inline charts must not run under our origin.
      return reply
        .type(FORMATS[format].type)
        .header('content-disposition', `attachment; filename="loadctl-${run.id}.${FORMATS[format].extension}"`)
        .header('content-security-policy', 'sandbox')
        .header('x-content-type-options', 'nosniff')
        .send(body);
    },
  );

  app.get<{ Params: { id: string }; Querystring: { limit: number } }>(
    '/v1/load-tests/:id/history',
    {
      schema: {
        summary: 'A test’s runs, oldest first, with the totals of each (as GET /v1/runs/{id}/summary)',
        params: idParams,
        querystring: { type: 'object', properties: { limit: { type: 'integer', minimum: 1, maximum: 500, default: 100 } }, additionalProperties: false },
        response: { ...errors },
      },
    },
    async (request) => {
      const test = await deps.store.getLoadTest(request.params.id);
      if (!test) throw testNotFound(request.params.id);
      const page = await deps.store.listRuns({ loadTestId: test.id, limit: request.query.limit, offset: 0 });
      const items = page.items.reverse().map((run) => {
        const results = summarizeResults(run, deps.now());
        return { runId: run.id, name: run.name, status: run.status, verdict: run.verdict, createdAt: run.createdAt, source: results.source, ...results.totals };
      });
      return { loadTestId: test.id, items };
    },
  );

  app.get<{ Querystring: { baseline: string; current: string; tolerancePercent: number } }>(
    '/v1/runs/compare',
    {
      schema: {
        summary: 'Two runs side by side, per endpoint (as `loadctl runs compare --json`)',
        querystring: {
          type: 'object',
          properties: { baseline: { type: 'string', minLength: 1, maxLength: 100 }, current: { type: 'string', minLength: 1, maxLength: 100 }, tolerancePercent: { type: 'number', minimum: 0, maximum: 10_000, default: 10 } },
          required: ['baseline', 'current'],
          additionalProperties: false,
        },
        response: { ...errors },
      },
    },
    async (request) => {
      const { baseline, current, tolerancePercent } = request.query;
      const [before, after] = await Promise.all([deps.store.getRun(baseline), deps.store.getRun(current)]);
      if (!before) throw runNotFound(baseline);
      if (!after) throw runNotFound(current);
      if (!Number.isFinite(tolerancePercent)) throw new LoadctlError('LOADCTL_BAD_REQUEST', 'tolerancePercent must be a number.');
      return compareRuns(before, after, { tolerancePercent });
    },
  );
}
