/**
 * How many tasks to keep at Kling at once. KLING_CONCURRENCY is what the operator believes the plan
 * allows; Kling's 1303 says what it really allows, so the limit is learned:
 *
 * - `knownGood` is the most tasks Kling has been proven to hold for the studio at once (counted a moment
 *   after an acceptance, once the studio has surely heard of the tasks that ended before it). Below it,
 *   tasks go out freely.
 * - At or above it, one create at a time is a probe: if Kling accepts it, `knownGood` grows by one; if it
 *   answers 1303, the limit is the number Kling surely held then (until that is proven, what it was
 *   proven to hold before). So however far KLING_CONCURRENCY overshoots, at
 *   most one create is refused to find the real limit.
 * - A learned limit is kept (across restarts too, by `save`), and tried one higher again only after
 *   `relearnMs` without a refusal, in case the plan grew; after `relearnSoonMs` when Kling has held more
 *   for the studio before (`held`), since then the refusal more likely meant someone else's tasks than a
 *   smaller plan.
 * - A 1303 to a create that was not a probe (Kling held as many before) or with nothing of the studio's
 *   running says nothing sure about the limit: another user of the account may hold the slots. The limit
 *   stays, the dispatcher waits on a timer, and what Kling is known to hold drops to what runs now, so
 *   the next send is a probe: if that is refused too, the limit is learned from it.
 */
export interface LearnedLimit {
  learned: number;
  refusedAt: number | null;
  /** The most tasks Kling has ever accepted for the studio at once. */
  held?: number;
}

export class ConcurrencyLimit {
  private knownGood = 0;
  private state: LearnedLimit;

  constructor(
    readonly configured: number,
    private readonly opts: {
      saved: LearnedLimit | undefined;
      relearnMs: number;
      relearnSoonMs?: number;
      save: (state: LearnedLimit) => void;
    },
  ) {
    const saved = opts.saved;
    this.state =
      saved && saved.learned >= 1
        ? {
            learned: Math.min(configured, saved.learned),
            refusedAt: saved.refusedAt,
            held: saved.held ?? 0,
          }
        : { learned: configured, refusedAt: null, held: 0 };
  }

  get learned(): number {
    return this.state.learned;
  }

  /** The limit now: the learned one, or one above it when it is time to try again. */
  allowed(now: number): number {
    return this.relearnDue(now) ? this.state.learned + 1 : this.state.learned;
  }

  /** When the learned limit will next be tried one higher (undefined: it is not below the configured one). */
  relearnAt(): number | undefined {
    const { learned, refusedAt, held = 0 } = this.state;
    if (learned >= this.configured || refusedAt === null) return undefined;
    const wait = learned < held ? (this.opts.relearnSoonMs ?? 30_000) : this.opts.relearnMs;
    return refusedAt + wait;
  }

  /**
   * Whether one more task may go out when `busy` are at Kling or on their way; `probing`: a probe is in
   * flight. `probe` marks a send beyond what Kling is known to hold.
   */
  maySend(busy: number, probing: boolean, now: number): { ok: boolean; probe: boolean } {
    if (busy >= this.allowed(now)) return { ok: false, probe: false };
    if (busy < this.knownGood) return { ok: true, probe: false };
    return probing ? { ok: false, probe: false } : { ok: true, probe: true };
  }

  /**
   * Kling was proven to hold `slot` of the studio's tasks at once (after an acceptance or a refusal; see
   * the dispatcher's `proveHeld`). Above the learned limit, that is the limit now; when one more is tried
   * again still counts from the last refusal, so a plan that grew is found one step at a time.
   */
  accepted(slot: number): void {
    if (slot > this.knownGood) this.knownGood = slot;
    const held = Math.max(this.state.held ?? 0, slot);
    if (slot > this.state.learned)
      this.update({ ...this.state, learned: Math.min(this.configured, slot), held });
    else if (held > (this.state.held ?? 0)) this.update({ ...this.state, held });
  }

  /**
   * Kling answered 1303 to a create (`probe`: one beyond what it was known to hold) while `running` of the
   * studio's tasks were at Kling. True when that taught the limit; false: wait it out on a timer.
   */
  refused(running: number, probe: boolean, now: number): boolean {
    // What Kling surely held: `running` may still count a task it has just finished. Until what it held
    // then is proven (`accepted`), the limit is what it was proven to hold before.
    const sure = Math.min(running, this.knownGood);
    this.knownGood = sure;
    if (!probe || running <= 0) return false;
    this.update({
      ...this.state,
      learned: Math.max(1, Math.min(this.state.learned, sure)),
      refusedAt: now,
    });
    return true;
  }

  private relearnDue(now: number): boolean {
    const at = this.relearnAt();
    return at !== undefined && now >= at;
  }

  private update(state: LearnedLimit): void {
    this.state = state;
    this.opts.save(state);
  }
}
