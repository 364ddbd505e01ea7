// The kernel: clock, message bus, ports (data, execution, risk, store), the strategy API and the Kernel itself.
export { LiveClock, SimulatedClock } from './clock.ts';
export type { Clock } from './clock.ts';
export type { OrderEvent } from './events.ts';
export { Kernel } from './kernel.ts';
export { Topic } from './message-bus.ts';
export type { DataClient, ExecutionClient, ExecutionContext, MarketDataSink, OrderDenial, RiskContext, RiskGate } from './ports.ts';
export { RunKind, RunStatus, StoreDialect, StoreError, StoreErrorCode } from './store.ts';
export type { AuditCheckpoint, AuditEntry, AuditQuery, AuditReader, BalanceRecord, BarRecord, BreakerRecord, DenialRecord, EquityRecord, FillRecord, JsonValue, ModeChangeRecord, OrderEventInput, OrderEventRecord, OrderRecord, PositionRecord, RunEnd, RunJournal, RunQuery, RunRecord, RunStart, Store, StoreBatch } from './store.ts';
export { Strategy } from './strategy.ts';
export type { BarIndicator, PositionView, StrategyContext } from './strategy.ts';
export { RETRY_POLICIES, VenueError, VenueErrorAction, retryDelay } from './venue-errors.ts';
