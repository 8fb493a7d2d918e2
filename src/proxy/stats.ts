import { clientName } from './client-id.js';

export interface BackendInfo {
  profile: string;
  upstream: string;
  status: number;
  at: string;
}

export interface CoderInfo {
  client: string;
  requests: number;
  lastSeen: string;
}

export type StatusClass = '2xx' | '3xx' | '4xx' | '5xx';

/** Distinct client strings kept for `proxy status` (the least recently seen go first). */
export const MAX_CLIENTS = 64;
/** What is kept of a client string (a User-Agent's name and version). */
export const MAX_CLIENT_LENGTH = 64;

/** What `proxy status` shows about traffic: counts by status class, the last backend, connected coders. */
export class Stats {
  readonly startedAt = Date.now();
  readonly byClass: Record<StatusClass, number> = { '2xx': 0, '3xx': 0, '4xx': 0, '5xx': 0 };
  total = 0;

  // Hot path: counters and epoch numbers only; dates are formatted when status is read.
  #lastBackend: { profile: string; upstream: string; status: number; at: number } | undefined;
  /** By client string, the most recently seen last (a client seen again moves to the end). */
  readonly #seen = new Map<string, { client: string; requests: number; lastSeen: number }>();

  record(status: number, client: string, backend: { profile: string; upstream: string } | undefined): void {
    this.total++;
    this.byClass[status >= 500 ? '5xx' : status >= 400 ? '4xx' : status >= 300 ? '3xx' : '2xx']++;
    const now = Date.now();
    if (backend) this.#lastBackend = { profile: backend.profile, upstream: backend.upstream, status, at: now };
    // a client string is the caller's to choose: kept short, and only the latest MAX_CLIENTS of
    // them, so a caller that varies it (even unauthenticated: 401s are counted) cannot grow memory
    const key = client.length > MAX_CLIENT_LENGTH ? client.slice(0, MAX_CLIENT_LENGTH) : client;
    const info = this.#seen.get(key);
    if (info) {
      info.requests++;
      info.lastSeen = now;
      if (this.#seen.size > 1) {
        this.#seen.delete(key);
        this.#seen.set(key, info);
      }
    } else {
      this.#seen.set(key, { client: key, requests: 1, lastSeen: now });
      if (this.#seen.size > MAX_CLIENTS) this.#seen.delete(this.#seen.keys().next().value!);
    }
  }

  get lastBackend(): BackendInfo | undefined {
    const b = this.#lastBackend;
    return b && { ...b, at: new Date(b.at).toISOString() };
  }

  /** Connected coders by name ("claude-code"), with the latest version seen. */
  coders(): Array<CoderInfo & { name: string }> {
    const byName = new Map<string, { client: string; requests: number; lastSeen: number }>();
    for (const info of this.#seen.values()) {
      const name = clientName(info.client);
      const prev = byName.get(name);
      if (!prev) byName.set(name, { ...info });
      else {
        prev.requests += info.requests;
        if (info.lastSeen >= prev.lastSeen) {
          prev.lastSeen = info.lastSeen;
          prev.client = info.client;
        }
      }
    }
    return [...byName.entries()].map(([name, i]) => ({
      name,
      client: i.client,
      requests: i.requests,
      lastSeen: new Date(i.lastSeen).toISOString(),
    }));
  }
}
