// Emergency stops beyond a running session: straight through the venues and the journal (with or without a server).
export { directKill, type DirectKillReport, type DirectKillRequest } from './direct-kill.ts';
export { followUpEmergency, type FollowUpContext } from './follow-up.ts';
export type { PaperCloseResult } from './paper-close.ts';
export type { VenueAction } from './venue-close.ts';
