import { EventEmitter } from 'node:events';
import type { ServerResponse } from 'node:http';

/**
 * Whether the client left before its answer was complete, and the signal that aborts the upstream
 * request when it does. undici takes any EventEmitter with `aborted` and an 'abort' event as a
 * request signal; this one costs a fraction of an AbortController, which every request would
 * otherwise create.
 */
export class ClientGone extends EventEmitter {
  aborted = false;

  constructor(res: ServerResponse) {
    super();
    res.once('close', () => {
      if (res.writableFinished || this.aborted) return;
      this.aborted = true;
      this.emit('abort');
    });
  }

  /** Waits `ms`, or less when the client leaves meanwhile. */
  sleep(ms: number): Promise<void> {
    if (this.aborted) return Promise.resolve();
    return new Promise((done) => {
      const finish = () => {
        clearTimeout(timer);
        this.off('abort', finish);
        done();
      };
      const timer = setTimeout(finish, ms);
      this.once('abort', finish);
    });
  }
}
