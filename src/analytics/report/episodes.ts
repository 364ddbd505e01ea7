// Dense events grouped into episodes, so that the equity chart carries one marker (and one band) per episode
// instead of a label per event: 244 breaker changes over six years would otherwise smear into one grey line.
import type { ReportEvent } from './types.ts';

/**
 * At most about this many markers on the equity chart: events closer than 1/MAX_EVENT_MARKERS of the run's
 * span join one episode, so markers stand at least that far apart (about 35 px on a 1,100 px chart).
 */
export const MAX_EVENT_MARKERS = 32;

/** Consecutive events (in time order), numbered from 1 as the event table and the chart's tooltip show them. */
export interface EventEpisode {
  readonly id: number;
  readonly events: readonly ReportEvent[];
  readonly start: number;
  readonly end: number;
}

/**
 * Events sorted by time, cut into episodes wherever two neighbours are more than `spanMs / maxMarkers` apart.
 * Sparse events each stay an episode of their own.
 */
export function groupEpisodes(events: readonly ReportEvent[], spanMs: number, maxMarkers = MAX_EVENT_MARKERS): EventEpisode[] {
  if (!Number.isInteger(maxMarkers) || maxMarkers < 1) throw new RangeError(`groupEpisodes: maxMarkers must be a positive integer, got ${maxMarkers}`);
  const sorted = [...events].sort((a, b) => a.time - b.time);
  const gap = Number.isFinite(spanMs) && spanMs > 0 ? spanMs / maxMarkers : 0;
  const episodes: EventEpisode[] = [];
  let current: ReportEvent[] = [];
  const close = (): void => {
    if (current.length === 0) return;
    episodes.push({ id: episodes.length + 1, events: current, start: current[0]!.time, end: current[current.length - 1]!.time });
    current = [];
  };
  for (const event of sorted) {
    const last = current[current.length - 1];
    if (last !== undefined && event.time - last.time > gap) close();
    current.push(event);
  }
  close();
  return episodes;
}

/** The gravest event of an episode (the first of equal severity): its colour stands for the episode. */
export function gravest(episode: EventEpisode): ReportEvent {
  let worst = episode.events[0]!;
  for (const e of episode.events) if ((e.severity ?? 0) > (worst.severity ?? 0)) worst = e;
  return worst;
}
