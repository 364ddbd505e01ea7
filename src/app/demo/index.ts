// Demo use-case: the local exchange, and a store with a paper deployment and an operator token for the demo's server.
export { DEMO_DATA, startDemoExchange, type DemoExchange } from './demo-exchange.ts';
export { checkDemoStore, DEMO_NAME, DEMO_STRATEGY, demoStoreTarget, writeDemoStore, type DemoStore, type DemoStoreRequest, type DemoStoreTarget } from './demo-store.ts';
export { demoEnding, demoEnv } from './demo-session.ts';
export { demoStatusLine, watchDemo, type DemoWatchRequest } from './demo-watch.ts';
