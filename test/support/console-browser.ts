// What every console page must hold to: no console error, no failed request, no request that
// leaves the server's origin; and a screenshot of each page kept as a test artifact.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { REPO_ROOT } from './cli.js';

export const ARTIFACTS = join(REPO_ROOT, 'test-artifacts', 'console');

export interface PageWatch {
  problems(): string[];
}

export function watchPage(page: Page, origin: string): PageWatch {
  const problems: string[] = [];
  page.on('console', (message) => {
    if (message.type() === 'error') problems.push(`console error: ${message.text()}`);
  });
  page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
  page.on('request', (request) => {
    const url = request.url();
    if (!url.startsWith(`${origin}/`) && !url.startsWith('data:') && !url.startsWith('about:')) problems.push(`request left the origin: ${url}`);
  });
  page.on('requestfailed', (request) => {
    // Leaving a page closes its event streams: the browser reports those as aborted.
    if (request.failure()?.errorText === 'net::ERR_ABORTED' && /\/events(\/runs)?$/.test(new URL(request.url()).pathname)) return;
    problems.push(`request failed: ${request.method()} ${request.url()} ${request.failure()?.errorText ?? ''}`);
  });
  page.on('response', (response) => {
    if (response.status() >= 400) problems.push(`HTTP ${response.status()}: ${response.request().method()} ${response.url()}`);
  });
  return { problems: () => [...problems] };
}

export async function screenshot(page: Page, name: string): Promise<string> {
  mkdirSync(ARTIFACTS, { recursive: true });
  const path = join(ARTIFACTS, `${name}.png`);
  await page.screenshot({ path, fullPage: true });
  return path;
}
