// Session use-cases: paper and live sessions on a venue, and journaled replays with resume.
export { instrumentFromMarket } from './instruments-from-exchange.ts';
export type { CcxtMarket } from './instruments-from-exchange.ts';
export { runReplaySession } from './replay-session.ts';
export type { ReplaySessionResult } from './replay-session.ts';
export { runSession } from './run-session.ts';
export { resumedRunIds } from './session-resume.ts';
export type { SessionEvent, SessionEventListener } from './session-events.ts';
export type { RunningSession, SessionSummary } from './session-types.ts';
