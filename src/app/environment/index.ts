// Building the kernel of a backtest, replay, paper or live session, and journaling its events: one factory, one mapping.
export { buildKernel, feeScheduleFor, journalKernel, type Environment, type Fees, type JournalTarget, type RiskSettings, type Venue } from './build-kernel.ts';
export { jsonSafe, KernelJournal, type JournaledRecords } from './kernel-journal.ts';
