// The virtual clock: data time that starts at the first bar and advances at `speed` x wall time.
import type { WallClock } from './wall-clock.ts';

export class VirtualClock {
  private baseData: number;
  private baseWall: number;
  private speedFactor: number;

  constructor(
    private readonly wall: WallClock,
    start: number,
    speed: number,
  ) {
    this.baseData = start;
    this.baseWall = wall();
    this.speedFactor = speed;
  }

  /** Wall time (ms). */
  wallNow(): number {
    return this.wall();
  }

  /** Data time (ms), integer. */
  now(): number {
    return Math.floor(this.baseData + (this.wall() - this.baseWall) * this.speedFactor);
  }

  get speed(): number {
    return this.speedFactor;
  }

  /** Change the speed from now on (the data time does not jump). */
  setSpeed(speed: number): void {
    this.rebase();
    this.speedFactor = speed;
  }

  /** Jump the data time forward by `ms` (or back, with a negative value). */
  advance(ms: number): void {
    this.rebase();
    this.baseData += ms;
  }

  /** Set the data time to `time`. */
  set(time: number): void {
    this.rebase();
    this.baseData = time;
  }

  private rebase(): void {
    const wall = this.wall();
    this.baseData = this.baseData + (wall - this.baseWall) * this.speedFactor;
    this.baseWall = wall;
  }
}
