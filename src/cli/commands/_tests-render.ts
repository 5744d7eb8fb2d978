// Tables and details for `loadctl tests …`. They belong with src/cli/render once that folder
// takes new views; they reuse its palette and formats so they read like the runs table.
import Table from 'cli-table3';
import type { LoadTestView, RevisionSummary } from '../../controlplane/client.js';
import { createPalette, type Palette } from '../render/_palette.js';
import { DASH, formatCount, formatDuration, formatLocalDateTime, formatRelativeTime, plural } from '../render/index.js';

export const NO_TESTS_MESSAGE = 'No load tests yet. Create one with: loadctl tests create --name NAME --script locustfile.py --host http://127.0.0.1:8000';
const SHA_SHOWN = 12;
const FILES_SHOWN = 30;

interface RenderOptions {
  color: boolean;
  now: Date;
}

export function renderTestsTable(tests: readonly LoadTestView[], options: RenderOptions): string {
  if (tests.length === 0) return NO_TESTS_MESSAGE;
  const palette = createPalette(options.color);
  const table = newTable(palette, ['ID', 'Name', 'Target', 'Rev', 'Last run', 'Created'], ['left', 'left', 'left', 'right', 'left', 'left']);
  for (const test of tests) {
    const last = test.recentRuns[0];
    table.push([test.id, test.name, test.targetUrl, String(test.latestRevision), last ? palette.status(last.status) : palette.dim('never run'), when(test.createdAt, options.now)]);
  }
  return table.toString();
}

export function renderTestDetails(test: LoadTestView, options: RenderOptions): string {
  const palette = createPalette(options.color);
  const extra = ['accountId', 'orgId', 'projectId', 'envId', 'createdBy'].filter((key) => typeof test[key] === 'string').map((key) => `${key} ${String(test[key])}`);
  const lines = [
    `${palette.bold(test.name)}  ${test.id}`,
    ...(test.description ? [`  ${test.description}`] : []),
    `  Target    ${test.targetUrl}`,
    `  Defaults  ${plural(test.defaultUsers, 'user')}, spawn rate ${test.defaultSpawnRate}/s, ${formatDuration(test.defaultDurationSec)}${test.maxDurationSec ? ` (at most ${formatDuration(test.maxDurationSec)})` : ''}`,
    `  Script    revision ${test.latestRevision} (${test.latestRevisionId})`,
    `  Tags      ${test.tags.length > 0 ? test.tags.join(', ') : DASH}`,
    ...(extra.length > 0 ? [`  Owner     ${extra.join(', ')}`] : []),
    `  Created   ${when(test.createdAt, options.now)}`,
    `  Updated   ${when(test.updatedAt, options.now)}`,
  ];
  return lines.join('\n');
}

export function renderRevisionsTable(revisions: readonly RevisionSummary[], options: RenderOptions & { latestRevisionId?: string }): string {
  if (revisions.length === 0) return 'No script revisions.';
  const palette = createPalette(options.color);
  const table = newTable(palette, ['Rev', 'sha256', 'Files', 'Size', 'Created'], ['right', 'left', 'right', 'right', 'left']);
  const sorted = [...revisions].sort((a, b) => a.revision - b.revision);
  for (const revision of sorted) {
    const current = revision.id === options.latestRevisionId ? palette.bold(' (current)') : '';
    table.push([String(revision.revision), `${revision.sha256.slice(0, SHA_SHOWN)}${current}`, String(revision.files?.length ?? 1), formatBytes(revision.sizeBytes), when(revision.createdAt, options.now)]);
  }
  const bundles = sorted.filter((revision) => revision.files && revision.locustfile).map((revision) => renderBundleFiles(revision, palette));
  return [table.toString(), ...bundles].join('\n\n');
}

/** A bundle revision's files, the locustfile marked; a long list is cut (--json has it whole). */
function renderBundleFiles(revision: RevisionSummary, palette: Palette): string {
  const files = revision.files ?? [];
  const shown = files.slice(0, FILES_SHOWN).map((file) => `  ${file.path}${file.path === revision.locustfile ? palette.dim('  (locustfile)') : ''}  ${formatBytes(file.sizeBytes)}`);
  const more = files.length > FILES_SHOWN ? [`  … and ${files.length - FILES_SHOWN} more (--json lists them all)`] : [];
  return [`Revision ${revision.revision}: a bundle of ${plural(files.length, 'file')}`, ...shown, ...more].join('\n');
}

/** 512 → "512 B", 2048 → "2.0 KiB". */
export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${formatCount(bytes)} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KiB`;
  return `${(bytes / (1024 * 1024)).toFixed(1)} MiB`;
}

function when(iso: string, now: Date): string {
  const date = new Date(iso);
  return `${formatLocalDateTime(date)} (${formatRelativeTime(date, now)})`;
}

function newTable(palette: Palette, head: string[], colAligns: Array<'left' | 'right'>): Table.Table {
  return new Table({ head: head.map((text) => palette.bold(text)), colAligns, style: { head: [], border: [], compact: true } });
}
