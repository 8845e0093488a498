import type { Termination } from './servicing-history';

/**
 * The terminations one fact has hand-outs judged again for, taken by date, each once. Judging one again
 * adds those it changes: a hand-out changes the loads and books of the agents involved from its date on
 * only, so the terminations it adds are never dated before it and are taken in their turn. Same-day
 * terminations are simultaneous in business order (a leaver is no candidate on their own date, loads do
 * not count that day's hand-outs, and a hand-out by a same-day successor of what the day gave them no
 * longer stands: `supersededRows`), so the outcome does not depend on the order they are taken in; the
 * leaver whose termination is the fact goes last of its day, then by agent id, which spares hand-outs
 * made and undone (a policy given the leaver by a colleague judged before they were known to leave).
 */
export class TerminationQueue {
  private readonly waiting = new Map<string, Termination>();
  private readonly taken = new Set<string>();

  constructor(private readonly leaver?: string) {}

  add(terminations: readonly Termination[]): void {
    for (const termination of terminations) {
      const key = `${termination.agentId}@${termination.date}`;
      if (!this.taken.has(key)) this.waiting.set(key, termination);
    }
  }

  next(): Termination | undefined {
    let first: [string, Termination] | undefined;
    for (const entry of this.waiting) if (!first || this.order(entry[1], first[1]) < 0) first = entry;
    if (!first) return undefined;
    this.waiting.delete(first[0]);
    this.taken.add(first[0]);
    return first[1];
  }

  private order(a: Termination, b: Termination): number {
    return a.date.localeCompare(b.date) || Number(a.agentId === this.leaver) - Number(b.agentId === this.leaver) || a.agentId.localeCompare(b.agentId);
  }
}
