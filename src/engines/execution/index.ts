// The execution engine: creates and checks orders, routes them to the venue, applies venue events, gates them behind the write-ahead journal.
export { ExecutionEngine, KernelDenial } from './execution-engine.ts';
export type { ExecutionEngineConfig } from './execution-engine.ts';
export { WriteAheadGate } from './write-ahead-gate.ts';
export type { GatedMessage, OrderEventListener } from './write-ahead-gate.ts';
