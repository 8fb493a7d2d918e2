import type { ServerResponse } from 'node:http';
import type { GatewayError } from './gateway-error.js';

const GONE = Symbol('swixter.clientGone');

/** The ClientGone of the answer `res` is (when it is an API call's), to end it when the proxy stops. */
export function clientGoneOf(res: ServerResponse): ClientGone | undefined {
  return (res as ServerResponse & { [GONE]?: ClientGone })[GONE];
}

/**
 * Whether the client left before its answer was complete, and the signal that aborts the upstream
 * request when it does. A listener list of its own: an AbortController or an EventEmitter per
 * request would cost more, and the upstream client is the only one listening.
 */
export class ClientGone {
  aborted = false;
  /** Why the proxy itself ended this answer (it stops): the client still waits, and gets this error. */
  cutBy: GatewayError | undefined;
  #listeners: Array<() => void> = [];

  constructor(res: ServerResponse) {
    (res as ServerResponse & { [GONE]?: ClientGone })[GONE] = this;
    // 'close' comes once per response: on() spares once()'s wrapper
    res.on('close', () => {
      if (res.writableFinished) return;
      this.#abort();
    });
  }

  /** The proxy ends this answer (it stops): the upstream request is aborted as if the client had left. */
  cut(error: GatewayError): void {
    if (this.aborted) return;
    this.cutBy = error;
    this.#abort();
  }

  #abort(): void {
    if (this.aborted) return;
    this.aborted = true;
    for (const listener of this.#listeners.splice(0)) listener();
  }

  /** Calls `listener` once when the client leaves (never when it already left: check `aborted`). */
  onAbort(listener: () => void): void {
    this.#listeners.push(listener);
  }

  offAbort(listener: () => void): void {
    const at = this.#listeners.indexOf(listener);
    if (at >= 0) this.#listeners.splice(at, 1);
  }

  /** Waits `ms`, or less when the client leaves meanwhile. */
  sleep(ms: number): Promise<void> {
    if (this.aborted) return Promise.resolve();
    return new Promise((done) => {
      const finish = () => {
        clearTimeout(timer);
        this.offAbort(finish);
        done();
      };
      const timer = setTimeout(finish, ms);
      this.onAbort(finish);
    });
  }
}
