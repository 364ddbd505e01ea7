// The HTML backtest report.
export { renderReportHtml, chartLibrarySource, DEFAULT_MAX_CHART_POINTS } from './render.ts';
export { selectDownsampleIndices, downsampleMinMax } from './downsample.ts';
export { escapeHtml } from './format.ts';
export type { ReportInput, ReportTrade, ReportEvent, ReportSeries } from './types.ts';
