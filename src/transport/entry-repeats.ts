/**
 * Which entries a gateway has seen already, by their idempotency key: an agent that re-sends a
 * batch whose reply it lost (Redis applied it) appends the same entries again under new ids.
 * One agent's entries arrive in order, so per run (one agent process) the highest sequence
 * number seen is enough: one at or below it is a repeat. Bounded: runs not seen for
 * `forgetMs` are forgotten, and past `maxRuns` the least recently seen go first.
 */
export class EntryRepeats {
  // Least recently seen first: a run is re-inserted each time it is seen.
  private readonly runs = new Map<string, { seq: number; seenAt: number }>();

  constructor(
    private readonly maxRuns = 10_000,
    private readonly forgetMs = 3_600_000,
    private readonly now: () => number = () => performance.now(),
  ) {}

  /** How many runs are remembered. */
  get size(): number {
    return this.runs.size;
  }

  /** Whether entry `seq` of `run` was seen before; records it if not. */
  repeats(run: string, seq: number): boolean {
    const now = this.now();
    const seen = this.runs.get(run);
    if (seen && seq <= seen.seq) {
      return true;
    }
    this.runs.delete(run);
    this.runs.set(run, { seq, seenAt: now });
    this.forget(now);
    return false;
  }

  private forget(now: number): void {
    for (const [run, { seenAt }] of this.runs) {
      if (this.runs.size <= this.maxRuns && now - seenAt < this.forgetMs) {
        return;
      }
      this.runs.delete(run);
    }
  }
}
