export type { LiveView } from './live-view.js';
export { renderLiveFrame } from './live-frame.js';
export { formatPlainLine } from './plain-line.js';
export { renderRunSummary } from './summary.js';
export { renderRunsTable, NO_RUNS_MESSAGE } from './runs-table.js';
export { renderThresholdTable } from './thresholds-table.js';
export {
  createWindowedRenderer,
  type RendererStream,
  type RendererTimers,
  type WindowedRenderer,
} from './windowed-renderer.js';
export { createMessageLine, type MessageLine } from './message-line.js';
export * from './format.js';
