import { stripVTControlCharacters } from 'node:util';
import { describe, expect, it } from 'vitest';
import { renderThresholdTable } from '../../../src/cli/render/index.js';
import type { ThresholdVerdict } from '../../../src/domain/thresholds.js';

const VERDICTS: ThresholdVerdict[] = [
  { threshold: 'p95<500ms', metric: 'p95', operator: '<', limit: 500, observed: 812, passed: false },
  { threshold: 'error_rate<1%', metric: 'error_rate', operator: '<', limit: 0.01, observed: 0.002, passed: true },
  { threshold: 'GET /api/search: p99<=1.2s', metric: 'p99', endpoint: 'GET /api/search', operator: '<=', limit: 1200, observed: null, passed: false, reason: 'no data' },
];

describe('renderThresholdTable', () => {
  it('shows each verdict with its result, observed value and limit, headed by how many failed', () => {
    const text = renderThresholdTable(VERDICTS, { color: false });
    const lines = text.split('\n');
    expect(lines[0]).toBe('Thresholds: 2 of 3 failed');
    expect(text).toMatch(/FAIL +│ p95<500ms +│ +812 ms │ +< 500 ms/);
    expect(text).toMatch(/pass +│ error_rate<1% +│ +0\.2% │ +< 1%/);
    expect(text).toMatch(/FAIL +│ GET \/api\/search: p99<=1\.2s +│ +no data │ +<= 1,200 ms/);
    expect(text).not.toMatch(/\u001b\[/);
  });

  it('says all passed, names an early stop, and colours only when asked', () => {
    expect(renderThresholdTable([VERDICTS[1]!], { color: false }).split('\n')[0]).toBe('Thresholds: the 1 threshold passed');
    const stopped = renderThresholdTable(VERDICTS.slice(0, 1), { color: true, stoppedEarly: 'threshold failed: p95 was 812 ms, limit < 500 ms' });
    expect(stopped).toMatch(/\u001b\[31m/);
    expect(stripVTControlCharacters(stopped).split('\n')[1]).toBe('Stopped early: threshold failed: p95 was 812 ms, limit < 500 ms');
  });
});

describe('renderThresholdTable decimals', () => {
  it('keeps one number of decimals per unit down the Observed and Limit columns', () => {
    const verdicts: ThresholdVerdict[] = [
      { threshold: 'p95<50ms', metric: 'p95', operator: '<', limit: 50, observed: 12, passed: true },
      { threshold: 'avg<20.5ms', metric: 'avg', operator: '<', limit: 20.5, observed: 12.34, passed: true },
      { threshold: 'error_rate<1%', metric: 'error_rate', operator: '<', limit: 0.01, observed: 0.0025, passed: true },
      { threshold: 'error_rate<0.5%', metric: 'error_rate', operator: '<', limit: 0.005, observed: 0.0025, passed: true },
    ];
    const rows = renderThresholdTable(verdicts, { color: false }).split('\n').filter((line) => /^│ pass/.test(line)).map((line) => line.split('│').map((cell) => cell.trim()).slice(3, 5));
    expect(rows).toEqual([
      ['12.0 ms', '< 50.0 ms'],
      ['12.3 ms', '< 20.5 ms'],
      ['0.25%', '< 1.0%'],
      ['0.25%', '< 0.5%'],
    ]);
  });
});
