// The exchange simulator's only wall-clock read: signatures and recvWindow are checked against wall time,
// and the virtual (data) clock advances with it.

/** Wall time in UTC milliseconds. Injectable so tests can drive time. */
export type WallClock = () => number;

export const systemWallClock: WallClock = () => Date.now();
