import type { IncomingMessage, ServerResponse } from 'node:http';
import { withFields } from '../formats/with-fields.js';
import type { AttemptEntry } from './access-log.js';
import { attempt } from './attempt.js';
import type { AttemptInput, AttemptResult } from './attempt-types.js';
import type { Admission, BreakerState } from './breaker.js';
import { GatewayError } from './gateway-error.js';
import { answerCountTokens, answerModels, configuredModels, type LocalAnswer } from './local-answers.js';
import { type Outcome, round } from './outcome.js';
import type { Plan } from './plan.js';
import { sendError } from './respond.js';
import type { ProxyRuntime } from './runtime.js';
import type { Target } from './target.js';
import { upstreamBase } from './upstream-url.js';

/** What a request brings to the attempts: everything an attempt needs but the target and the gate. */
export type ServeInput = Omit<AttemptInput, 'rt' | 'req' | 'res' | 'target' | 'gate'>;

type Failed = AttemptResult & { committed: false };

/**
 * Tries the plan's targets in priority order: each one its breaker admits, with optional retries
 * on the same target, until one answers well. Nothing reaches the client from a failed attempt
 * (the relay holds the response until the first meaningful event), so failover is invisible.
 */
export async function serve(
  rt: ProxyRuntime,
  req: IncomingMessage,
  res: ServerResponse,
  input: ServeInput,
): Promise<Outcome> {
  const plan = rt.plan(input.clientFormat, input.facts.model);
  const local = answerLocally(req, res, input, plan);
  if (local) return withFields(local, { result: undefined, error: undefined, target: plan.targets[0], attempts: [] });

  const attempts: AttemptEntry[] = [];
  let last: { result: Failed; target: Target } | undefined;
  for (const [index, target] of plan.targets.entries()) {
    // count_tokens reaching a profile of another format (first, or after a failover) is estimated here
    if (countsTokensLocally(input, target))
      return withFields(answerCountTokens(res, input.facts), { result: undefined, error: undefined, target, attempts });
    const position = { moreTargets: index < plan.targets.length - 1, soleTarget: plan.targets.length === 1 };
    const step = await tryTarget(rt, req, res, input, target, position, attempts);
    if (step.kind === 'done') return step.outcome;
    if (step.failure) last = { result: step.failure, target };
    if (step.kind === 'stop') break;
  }
  // an Anthropic-format endpoint without count_tokens (404): Claude Code gets the estimate, never a 404
  if (last?.result.status === 404 && input.pathname === COUNT_TOKENS_PATH && !input.clientGone())
    return withFields(answerCountTokens(res, input.facts), {
      result: undefined,
      error: undefined,
      target: last.target,
      attempts,
    });
  if (last) return answerLastFailure(rt, res, input, last, attempts);
  return answerAllUnavailable(rt, res, input, plan, attempts);
}

/** done: the client has its answer; next: move on to the next target; stop: answer with this failure. */
type Step = { kind: 'done'; outcome: Outcome } | { kind: 'next' | 'stop'; failure: Failed | undefined };

/** One target: its breaker's admission, then up to 1 + failover.retries attempts. */
async function tryTarget(
  rt: ProxyRuntime,
  req: IncomingMessage,
  res: ServerResponse,
  input: ServeInput,
  target: Target,
  position: { moreTargets: boolean; soleTarget: boolean },
  attempts: AttemptEntry[],
): Promise<Step> {
  const { moreTargets, soleTarget } = position;
  const breaker = rt.breakers.get(target.label);
  const { retries } = rt.settings.failover;
  const upstream = upstreamBase(target.baseURL).origin;
  let failure: Failed | undefined;
  /** The last failure only held the breaker open for its Retry-After: a retry may go once it passed. */
  let held = false;
  for (let tryNo = 0; tryNo <= retries; tryNo++) {
    // A lone target is always tried (there is nothing to fail over to); its breaker still counts. So
    // is a retry after the upstream's Retry-After, unless the breaker tripped (or was held longer) since.
    const current = breaker.state;
    // unless it tripped since, or another answer's Retry-After holds it longer than this one waited
    const waitedOut = held && !(current.kind === 'open' && (current.held !== true || heldFor(current) > 0));
    const admission: Admission = soleTarget || waitedOut ? 'allow' : breaker.admit(Date.now());
    if (admission === 'skip') {
      attempts.push({
        profile: target.label,
        upstream,
        status: null,
        outcome: 'breaker_open',
        duration_ms: 0,
        breaker: breaker.state.kind,
      });
      return { kind: 'next', failure };
    }
    /** A probe that ended without a verdict lets the next request probe (only the probe holds that slot). */
    const releaseProbe = () => {
      if (admission === 'probe') breaker.release();
    };
    const startedAt = performance.now();
    let result: AttemptResult;
    try {
      result = await attempt({ rt, req, res, ...input, target, gate: tryNo < retries || moreTargets });
    } catch (err) {
      releaseProbe();
      throw err;
    }
    // Upstream text can echo a key: mask it once, before logs, status and the client see it.
    if (result.error) result.error.message = rt.redact(result.error.message);
    const refused = result.reasoningRefused;
    if (refused)
      attempts.push({
        profile: target.label,
        upstream,
        status: refused.status,
        outcome: 'reasoning_refused',
        duration_ms: round(refused.durationMs),
        error: rt.redact(refused.message),
      });
    attempts.push({
      profile: target.label,
      upstream,
      status: result.status,
      outcome: result.committed ? (result.error ? result.error.cause_ : 'ok') : result.error.cause_,
      duration_ms: round(performance.now() - startedAt - (refused?.durationMs ?? 0)),
      ...(result.error ? { error: rt.redact(result.error.message) } : {}),
      ...(admission === 'probe' ? { breaker: 'half_open probe' } : {}),
    });
    if (input.clientGone()) {
      releaseProbe();
      return {
        kind: 'done',
        outcome: result.committed
          ? committedOutcome(result, target, attempts)
          : { ...failedOutcome(result, target, attempts, 0), status: 499, firstByteAt: undefined }, // nothing was sent: the client left
      };
    }
    if (result.committed) {
      if (result.error) breaker.failure(Date.now(), result.error.message, rt.settings.breaker);
      else breaker.success(rt.settings.breaker);
      return { kind: 'done', outcome: committedOutcome(result, target, attempts) };
    }
    failure = result;
    // refused before it was sent (it cannot be converted, the key's variable is unset): that says
    // nothing of the upstream, so the breaker counts it as neither
    const unsent = result.status === null && (result.error.cause_ === 'config' || result.error.cause_ === 'conversion');
    if (!shouldFailOver(rt, result)) {
      // the upstream answered and the request itself was refused: a good sign for the profile
      if (unsent) releaseProbe();
      else breaker.success(rt.settings.breaker);
      return { kind: 'stop', failure };
    }
    if (unsent) {
      releaseProbe();
      return { kind: 'next', failure };
    }
    const hold = result.status === 429 || result.status === 503 ? result.error.retryAfterMs : undefined;
    breaker.failure(Date.now(), result.error.message, rt.settings.breaker, hold);
    // a breaker open only for the upstream's Retry-After lets this request retry once that passed
    const state = breaker.state;
    held = state.kind === 'open' && state.held === true;
    const wait =
      tryNo < retries && (state.kind === 'closed' || held)
        ? retryWait(rt, tryNo, result.error.retryAfterMs)
        : undefined;
    if (wait === undefined) break; // no retries left, breaker tripped, or Retry-After beyond the cap
    if (rt.requestLines)
      rt.logger.info(`${target.label}: ${result.error.cause_}; retry ${tryNo + 1}/${retries} in ${wait} ms`);
    await input.signal.sleep(wait);
    // another answer's Retry-After (a request in flight meanwhile) may hold the profile longer: that
    // wait too, within the cap; the upstream is never asked again before it said
    const longer = heldFor(breaker.state);
    if (longer > 0 && longer <= rt.settings.failover.retryAfterCapMs) await input.signal.sleep(longer);
    if (input.clientGone())
      return {
        kind: 'done',
        outcome: { ...failedOutcome(result, target, attempts, 0), status: 499, firstByteAt: undefined },
      }; // the client left
  }
  if (moreTargets && failure && rt.requestLines)
    rt.logger.warn(
      `${target.label} failed (${failure.error.cause_}): ${rt.redact(failure.error.message)}; trying the next profile`,
    );
  return { kind: 'next', failure };
}

/** Timers may fire a millisecond before Date.now() reaches their time. */
const TIMER_SLACK_MS = 2;

/** How much longer a breaker held open only by a Retry-After stays so (0: not held, or over). */
function heldFor(state: BreakerState): number {
  if (state.kind !== 'open' || state.held !== true) return 0;
  const left = state.until - Date.now();
  return left > TIMER_SLACK_MS ? left : 0;
}

/** Backoff before retrying the same target: exponential with jitter, or Retry-After within the cap. */
function retryWait(rt: ProxyRuntime, tryNo: number, retryAfterMs: number | undefined): number | undefined {
  const { retryBackoffMs, retryAfterCapMs } = rt.settings.failover;
  if (retryAfterMs !== undefined) return retryAfterMs <= retryAfterCapMs ? Math.ceil(retryAfterMs) : undefined;
  const base = retryBackoffMs * 2 ** tryNo;
  return Math.round(base / 2 + Math.random() * (base / 2));
}

function committedOutcome(
  result: AttemptResult & { committed: true },
  target: Target,
  attempts: AttemptEntry[],
): Outcome {
  return {
    status: result.status,
    bytes: result.bytes,
    firstByteAt: result.firstByteAt,
    result,
    error: result.error,
    target,
    attempts,
  };
}

function failedOutcome(result: Failed, target: Target, attempts: AttemptEntry[], bytes: number): Outcome {
  return {
    status: result.error.status,
    bytes,
    firstByteAt: performance.now(),
    result,
    error: result.error,
    target,
    attempts,
  };
}

/** The final answer is the last upstream error, in the client's shape (unchanged when the formats match). */
function answerLastFailure(
  rt: ProxyRuntime,
  res: ServerResponse,
  input: ServeInput,
  last: { result: Failed; target: Target },
  attempts: AttemptEntry[],
): Outcome {
  const { result, target } = last;
  if (input.clientGone() || res.headersSent) return failedOutcome(result, target, attempts, 0);
  if (result.passthrough) {
    res.writeHead(result.passthrough.status, result.passthrough.headers);
    res.end(result.passthrough.body);
    return {
      status: result.passthrough.status,
      bytes: result.passthrough.body.length,
      firstByteAt: performance.now(),
      result,
      error: result.error,
      target,
      attempts,
    };
  }
  rt.logger.debug(`answering with the last failure: ${result.error.cause_}`);
  return failedOutcome(result, target, attempts, sendError(res, input.clientFormat, result.error));
}

/** Every profile's breaker is open: 503 in the client's shape, saying when the first one half-opens. */
function answerAllUnavailable(
  rt: ProxyRuntime,
  res: ServerResponse,
  input: ServeInput,
  plan: Plan,
  attempts: AttemptEntry[],
): Outcome {
  const now = Date.now();
  const states = rt.breakers.snapshot(
    now,
    plan.targets.map((t) => t.label),
  );
  const soonest = Math.min(...states.map((s) => s.retryInMs));
  const list = states
    .map(
      (s) =>
        `${s.profile} (circuit ${s.state}, retry in ${Math.ceil(s.retryInMs / 1000)} s${s.lastError ? `; last error: ${s.lastError}` : ''})`,
    )
    .join('; ');
  const error = new GatewayError(
    'unavailable',
    rt.redact(`all profiles are unavailable (${plan.source}): ${list}`),
    'config',
    503,
    Number.isFinite(soonest) ? soonest : undefined,
  );
  const bytes = input.clientGone() ? 0 : sendError(res, input.clientFormat, error);
  return {
    status: 503,
    bytes,
    firstByteAt: performance.now(),
    result: undefined,
    error,
    target: plan.targets[0],
    attempts,
  };
}

/**
 * count_tokens for a profile that does not speak Anthropic Messages: such upstreams have no
 * endpoint for it, so Swixter answers with its estimate, also when a failover reaches that profile
 * (transparent mode, without profiles, forwards everything).
 */
const COUNT_TOKENS_PATH = '/v1/messages/count_tokens';

function countsTokensLocally(input: ServeInput, target: Target): boolean {
  return input.pathname === COUNT_TOKENS_PATH && target.profile !== undefined && target.format !== 'anthropic_messages';
}

/** The model list, when the plan's profiles configure models: Swixter answers it itself. */
function answerLocally(
  req: IncomingMessage,
  res: ServerResponse,
  input: ServeInput,
  plan: Plan,
): LocalAnswer | undefined {
  if (!plan.targets[0]?.profile) return undefined; // transparent mode forwards everything
  if (input.pathname === '/v1/models' && req.method === 'GET') {
    const ids = configuredModels(plan);
    if (ids.length > 0) return answerModels(res, req, input.clientFormat, ids);
  }
  return undefined;
}

/** Transport failures and the configured statuses move on; request errors (400, 404, 413, 422 …) do not. */
function shouldFailOver(rt: ProxyRuntime, result: Failed): boolean {
  switch (result.error.cause_) {
    case 'conversion':
      return false; // the request cannot be expressed: the client must change it
    case 'http_status':
    case 'stream_error':
      return rt.settings.failover.failoverOn.includes(result.error.status);
    default:
      return true; // transport failures, timeouts, empty or cut streams, a profile that cannot serve this format
  }
}
