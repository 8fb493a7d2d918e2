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

/** What `proxy status` shows about traffic: counts by status class, the last backend, connected coders. */
export class Stats {
  readonly startedAt = Date.now();
  readonly byClass: Record<StatusClass, number> = { '2xx': 0, '3xx': 0, '4xx': 0, '5xx': 0 };
  total = 0;
  lastBackend: BackendInfo | undefined;
  readonly #coders = new Map<string, CoderInfo>();

  record(status: number, client: string, backend: { profile: string; upstream: string } | undefined): void {
    this.total++;
    const cls = `${Math.min(5, Math.max(2, Math.floor(status / 100)))}xx` as StatusClass;
    this.byClass[cls]++;
    const now = new Date().toISOString();
    if (backend) this.lastBackend = { ...backend, status, at: now };
    const name = clientName(client);
    const info = this.#coders.get(name);
    if (info) {
      info.requests++;
      info.lastSeen = now;
      info.client = client;
    } else {
      this.#coders.set(name, { client, requests: 1, lastSeen: now });
    }
  }

  coders(): Array<CoderInfo & { name: string }> {
    return [...this.#coders.entries()].map(([name, info]) => ({ name, ...info }));
  }
}
