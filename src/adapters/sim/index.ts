// The simulated venue: bar replay, the bar-matching and book-matching execution clients and their fill models.
export { BookExecutionClient } from './book-execution-client.ts';
export type { FillModelConfig } from './fill-model-config.ts';
export { ReplayDataClient } from './replay-data-client.ts';
export type { ReplayHooks } from './replay-data-client.ts';
export { SimExecutionClient } from './sim-execution-client.ts';
