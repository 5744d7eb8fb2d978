import { h } from './dom.js';
import type { RunStatus } from './types.js';

// A symbol and a word with every colour: colour is never the only signal.
const STATUS_SYMBOL: Record<RunStatus, string> = { Pending: '○', Starting: '◔', Running: '▶', Stopping: '◼', Finished: '✔', Stopped: '■', Failed: '✖' };

export function statusBadge(status: RunStatus): HTMLElement {
  return h('span', { class: `badge status-${status.toLowerCase()}`, 'data-status': status }, h('span', { 'aria-hidden': 'true' }, STATUS_SYMBOL[status] ?? '•'), ` ${status}`);
}

export function verdictBadge(verdict: 'passed' | 'failed' | undefined): HTMLElement {
  if (!verdict) return h('span', { class: 'badge verdict-none', 'data-verdict': '' }, '— not judged');
  return h('span', { class: `badge verdict-${verdict}`, 'data-verdict': verdict }, h('span', { 'aria-hidden': 'true' }, verdict === 'passed' ? '✔' : '✖'), ` ${verdict}`);
}

export const isTerminal = (status: RunStatus): boolean => status === 'Finished' || status === 'Stopped' || status === 'Failed';
