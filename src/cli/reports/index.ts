export type { ReportInput, ReportRun } from './report-input.js';
export { renderJsonReport, JSON_REPORT_SCHEMA_VERSION, type JsonReport, type EndpointRow } from './json-report.js';
export { renderJUnitReport, RUN_COMPLETED_CASE } from './junit-report.js';
export { renderHtmlReport } from './html-report.js';
export { loadChartLibrary, type ChartLibrary } from './chart-library.js';
export { writeReportFiles, type ReportPaths } from './write-report-files.js';
export { checkReportPaths } from './check-report-paths.js';
export { renderComparison } from './compare-table.js';
export type { TimelinePoint } from './_report-timeline.js';
