import type { ProxySettings } from '../config/proxy-settings.js';

/**
 * One profile's circuit breaker.
 *
 *   closed ──(N consecutive failures, or failure rate over the window)──▶ open
 *   open ──(cooldown elapsed; the next request is the single probe)──▶ half_open
 *   half_open ──probe succeeds──▶ closed      half_open ──probe fails──▶ open
 *
 * While open, requests skip the profile without connecting. A 429/503 with Retry-After keeps it
 * open for at least that long; opened only for that (`held`), it is closed again once the wait is
 * over, with no probe. State lives in memory, per proxy process.
 */
export type BreakerState =
  | { kind: 'closed' }
  /** `held`: open only for an upstream's Retry-After, not tripped by failures. */
  | { kind: 'open'; until: number; held?: boolean }
  | { kind: 'half_open'; probeInFlight: boolean };

export type Admission = 'allow' | 'probe' | 'skip';

export interface BreakerSnapshot {
  profile: string;
  state: BreakerState['kind'];
  consecutiveFailures: number;
  recentFailureRate: number | null;
  lastError: string | null;
  lastErrorAt: string | null;
  /** ms until an open breaker lets its probe through (0 when not open). */
  retryInMs: number;
}

type Settings = ProxySettings['breaker'];

export class Breaker {
  state: BreakerState = { kind: 'closed' };
  consecutiveFailures = 0;
  lastError: string | undefined;
  lastErrorAt: number | undefined;
  /** Outcomes of the latest requests (true = failure), newest last, at most windowSize. */
  #window: boolean[] = [];

  constructor(readonly profile: string) {}

  /** Whether a request may use this profile now. A 'probe' must be reported back with success/failure. */
  admit(now: number): Admission {
    switch (this.state.kind) {
      case 'closed':
        return 'allow';
      case 'open':
        if (now < this.state.until) return 'skip';
        if (this.state.held === true) {
          // only the upstream's Retry-After held it: over, it is closed again (nothing tripped)
          this.state = { kind: 'closed' };
          return 'allow';
        }
        this.state = { kind: 'half_open', probeInFlight: true };
        return 'probe';
      case 'half_open':
        if (this.state.probeInFlight) return 'skip';
        this.state = { kind: 'half_open', probeInFlight: true };
        return 'probe';
    }
  }

  success(settings: Settings): void {
    this.consecutiveFailures = 0;
    this.#record(false, settings);
    this.state = { kind: 'closed' };
  }

  /**
   * A failure that counts (transport, 5xx, 429, auth, broken stream). `holdMs` comes from
   * Retry-After: an open state that only holds for it is marked `held`.
   */
  failure(now: number, message: string, settings: Settings, holdMs?: number): void {
    this.consecutiveFailures++;
    this.lastError = message;
    this.lastErrorAt = now;
    this.#record(true, settings);
    const failures = this.#window.filter(Boolean).length;
    const rateTripped =
      this.#window.length >= settings.minRequests && failures / this.#window.length >= settings.failureRate;
    const tripped =
      this.state.kind === 'half_open' || this.consecutiveFailures >= settings.failureThreshold || rateTripped;
    const hold = Math.max(tripped ? settings.cooldownMs : 0, holdMs ?? 0);
    // a new hold never shortens an open state, and a trip is never turned into a mere hold
    const wasTripped = this.state.kind === 'open' && this.state.held !== true && this.state.until > now;
    if (hold > 0)
      this.state = {
        kind: 'open',
        until: Math.max(now + hold, this.state.kind === 'open' ? this.state.until : 0),
        ...(tripped || wasTripped ? {} : { held: true }),
      };
    else if (this.state.kind === 'half_open') this.state = { kind: 'open', until: now + settings.cooldownMs };
  }

  /** A probe that ended without a verdict (the client went away): let the next request probe. */
  release(): void {
    if (this.state.kind === 'half_open') this.state = { kind: 'half_open', probeInFlight: false };
  }

  #record(failed: boolean, settings: Settings): void {
    this.#window.push(failed);
    if (this.#window.length > settings.windowSize) this.#window.splice(0, this.#window.length - settings.windowSize);
  }

  reset(): void {
    this.state = { kind: 'closed' };
    this.consecutiveFailures = 0;
    this.#window = [];
  }

  snapshot(now: number): BreakerSnapshot {
    const failures = this.#window.filter(Boolean).length;
    return {
      profile: this.profile,
      state:
        this.state.kind === 'open' && now >= this.state.until
          ? this.state.held
            ? 'closed'
            : 'half_open'
          : this.state.kind,
      consecutiveFailures: this.consecutiveFailures,
      recentFailureRate: this.#window.length > 0 ? Math.round((failures / this.#window.length) * 100) / 100 : null,
      lastError: this.lastError ?? null,
      lastErrorAt: this.lastErrorAt !== undefined ? new Date(this.lastErrorAt).toISOString() : null,
      retryInMs: this.state.kind === 'open' ? Math.max(0, this.state.until - now) : 0,
    };
  }
}

/** How plan.ts labels a target a route redirected: `<profile> via route <n>`. */
export const VIA_ROUTE = ' via route ';
/** reset() for every route-redirected target. */
export const ROUTED = '*via route*';

export class Breakers {
  readonly #byProfile = new Map<string, Breaker>();

  get(profile: string): Breaker {
    let breaker = this.#byProfile.get(profile);
    if (!breaker) {
      breaker = new Breaker(profile);
      this.#byProfile.set(profile, breaker);
    }
    return breaker;
  }

  /**
   * Closes one profile's breakers (its own, and those of the routes that redirect it: `<p> via
   * route N`), every route's (ROUTED), or all of them. Returns the breakers reset.
   */
  reset(profile?: string): string[] {
    const targets = [...this.#byProfile.values()].filter(
      (b) =>
        profile === undefined ||
        b.profile === profile ||
        b.profile.startsWith(`${profile}${VIA_ROUTE}`) ||
        (profile === ROUTED && b.profile.includes(VIA_ROUTE)),
    );
    for (const b of targets) b.reset();
    return targets.map((b) => b.profile);
  }

  snapshot(now: number, only?: readonly string[]): BreakerSnapshot[] {
    const names = only ?? [...this.#byProfile.keys()];
    return names.map((name) => this.get(name).snapshot(now));
  }

  /**
   * For `proxy status`: the breakers of `only` (in that order; closed ones included), then every
   * other one that has failures — a route's, or a profile outside the list — so that status never
   * hides an open breaker.
   */
  statusSnapshot(now: number, only?: readonly string[]): BreakerSnapshot[] {
    if (only === undefined) return this.snapshot(now);
    const others = [...this.#byProfile.values()]
      .filter((b) => !only.includes(b.profile))
      .map((b) => b.snapshot(now))
      .filter((s) => s.state !== 'closed' || s.consecutiveFailures > 0);
    return [...this.snapshot(now, only), ...others];
  }
}
