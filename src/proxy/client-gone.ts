import type { ServerResponse } from 'node:http';

/**
 * Whether the client left before its answer was complete, and the signal that aborts the upstream
 * request when it does. A listener list of its own: an AbortController or an EventEmitter per
 * request would cost more, and the upstream client is the only one listening.
 */
export class ClientGone {
  aborted = false;
  #listeners: Array<() => void> = [];

  constructor(res: ServerResponse) {
    // 'close' comes once per response: on() spares once()'s wrapper
    res.on('close', () => {
      if (res.writableFinished || this.aborted) return;
      this.aborted = true;
      for (const listener of this.#listeners.splice(0)) listener();
    });
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
