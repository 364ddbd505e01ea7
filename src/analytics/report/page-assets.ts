// What the report inlines so that it needs no network: the chart library, the stylesheet and the page script.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { drawReportCharts } from './assets/report-page.ts';

let chartLibrary: string | undefined;
let stylesheet: string | undefined;
let pageScript: string | undefined;

/** A "</script" inside would end the script element early. */
function safeInScript(source: string): string {
  return source.replace(/<\/script/gi, '<\\/script');
}

/** The standalone (global `LightweightCharts`) build of lightweight-charts, read once from node_modules. */
export function chartLibrarySource(): string {
  if (chartLibrary === undefined) {
    const require = createRequire(import.meta.url);
    const root = dirname(require.resolve('lightweight-charts/package.json'));
    // Cannot happen with the shipped build, but checked like the page script.
    chartLibrary = safeInScript(readFileSync(join(root, 'dist', 'lightweight-charts.standalone.production.js'), 'utf8'));
  }
  return chartLibrary;
}

/** assets/report.css, read once. */
export function reportStylesheet(): string {
  stylesheet ??= readFileSync(new URL('./assets/report.css', import.meta.url), 'utf8');
  return stylesheet;
}

/**
 * assets/report-page.ts as the page runs it: the function's source as the running transpiler left it, called
 * with the library's global. esbuild's keepNames (tsx runs this package with it) wraps named functions in
 * calls to a `__name` helper of the module, which the page does not have: it gets a no-op one.
 */
export function reportPageScript(): string {
  pageScript ??= safeInScript(`var __name = function (target) { return target; };\n(${drawReportCharts.toString()})(window.LightweightCharts);`);
  return pageScript;
}
