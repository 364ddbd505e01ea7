// The HTML backtest report.
export { renderReportHtml, DEFAULT_MAX_CHART_POINTS } from './render.ts';
export { chartLibrarySource } from './page-assets.ts';
export { selectDownsampleIndices, downsampleMinMax } from './downsample.ts';
export { escapeHtml } from './format.ts';
export type { ReportInput, ReportTrade, ReportEvent, ReportSeries } from './types.ts';
