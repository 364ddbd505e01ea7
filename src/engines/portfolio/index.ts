// The portfolio engine: positions, cash, equity and marks, with one bookkeeping path for fills, restores and adopted holdings.
export type { CorporateAction } from './corporate-action.ts';
export { Portfolio } from './portfolio.ts';
export type { PortfolioConfig } from './portfolio.ts';
