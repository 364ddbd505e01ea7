// Runtime primitives every engine and adapter shares: clock, message bus, cache, ports (data, execution, risk, store), the strategy API and venue errors.
export { Cache } from './cache.ts';
export { LiveClock, SimulatedClock } from './clock.ts';
export type { Clock } from './clock.ts';
export type { OrderEvent } from './events.ts';
export { MessageBus, Topic } from './message-bus.ts';
export { PASS_THROUGH_RISK } from './ports.ts';
export type { AccountView, BarListener, BookListener, DataClient, ExecutionClient, ExecutionContext, ExecutionEventSink, MarketDataSink, OrderDenial, RiskContext, RiskGate } from './ports.ts';
export { ApiRole, emptyJournal, JOURNAL_PARTS, RunKind, RunStatus, StoreDialect, StoreError, StoreErrorCode } from './store.ts';
export type { AuditCheckpoint, AuditEntry, AuditQuery, AuditReader, BalanceRecord, BarRecord, BreakerRecord, DenialRecord, DeploymentRecord, EquityRecord, FillRecord, JournalPart, JsonValue, ModeChangeRecord, OrderEventInput, OrderEventRecord, OrderRecord, PositionRecord, RunEnd, RunJournal, RunQuery, RunRecord, RunStart, Store, StoreBatch, TokenRecord } from './store.ts';
export { Strategy } from './strategy.ts';
export type { BarIndicator, PositionView, StrategyContext } from './strategy.ts';
export { VenueError, VenueErrorAction, withRetry } from './venue-errors.ts';
export type { RetryRunner } from './venue-errors.ts';
