// The load client: c virtual users, each on its own undici Client (one keep-alive connection, no
// pipelining), each sending its next request as soon as the previous response's last byte
// arrived. Every request is timed with performance.now(): time to the first body chunk (TTFB)
// and to the last byte (latency). A request counts when its last byte arrives inside the
// measuring window (after the warm-up) for the latency figures; req/s counts every request by the
// share of its time inside the window (`work`), divided by the window's length.

import { performance } from 'node:perf_hooks';
import { Client } from 'undici';

/**
 * @typedef {object} LoadRequest
 * @property {string} origin   e.g. http://127.0.0.1:1234
 * @property {string} path
 * @property {string} [method]
 * @property {Record<string,string>} headers
 * @property {Buffer} [body]
 * @property {string} [expectTail]  a string the last bytes of every response must contain
 */

/**
 * @typedef {object} LoadOptions
 * @property {number} concurrency
 * @property {number} warmupMs
 * @property {number} durationMs
 * @property {() => void} [onWindowStart]  called when the measuring window opens (CPU snapshot)
 * @property {() => void} [onWindowEnd]    called when it closes
 * @property {import('undici').Client[]} [clients]  connections to use (openClients; left open), else
 *   new ones for this call
 */

const TAIL_KEEP = 8192;

/** @param {LoadRequest} request @param {LoadOptions} opts */
export async function runLoad(request, opts) {
  const { concurrency, warmupMs, durationMs } = opts;
  const method = request.method ?? 'POST';
  const clients = opts.clients ?? openClients(request.origin, concurrency);
  if (clients.length !== concurrency)
    throw new Error(`runLoad: ${clients.length} clients for concurrency ${concurrency}`);

  const latencies = [];
  const ttfbs = [];
  let bytes = 0;
  let completed = 0; // all responses, warm-up and drain included
  // Requests served in the window, counting each by the share of its time inside it: a request
  // that began in the warm-up or ends after the window counts in part. Counting whole requests by
  // their end instead is off by up to one request per virtual user, and in short windows whose
  // users all start together (interleave.mjs) those errors would not cancel out.
  let work = 0;
  let errors = 0;
  let badStatus = 0;
  let badTail = 0;
  const errorSamples = [];
  const note = (text) => {
    if (errorSamples.length < 3 && !errorSamples.includes(text)) errorSamples.push(text);
  };

  const t0 = performance.now();
  const windowStart = t0 + warmupMs;
  const windowEnd = windowStart + durationMs;
  let windowOpened = false;
  let windowClosed = false;
  const openTimer = setTimeout(() => {
    windowOpened = true;
    opts.onWindowStart?.();
  }, warmupMs);
  const closeTimer = setTimeout(() => {
    windowClosed = true;
    opts.onWindowEnd?.();
  }, warmupMs + durationMs);

  const oneRequest = (client) =>
    new Promise((resolve) => {
      const start = performance.now();
      let first = 0;
      let status = 0;
      let size = 0;
      let tail; // the last chunks, together at least TAIL_KEEP bytes
      let tailSize = 0;
      client.dispatch(
        { path: request.path, method, headers: request.headers, body: request.body ?? null },
        {
          onRequestStart() {},
          onResponseStart(_controller, statusCode) {
            status = statusCode;
          },
          onResponseData(_controller, chunk) {
            if (first === 0) first = performance.now();
            size += chunk.length;
            if (request.expectTail !== undefined) {
              if (tail === undefined || chunk.length >= TAIL_KEEP) {
                tail = [chunk];
                tailSize = chunk.length;
              } else {
                tail.push(chunk);
                tailSize += chunk.length;
                while (tailSize - tail[0].length >= TAIL_KEEP) tailSize -= tail.shift().length;
              }
            }
          },
          onResponseEnd() {
            const end = performance.now();
            if (first === 0) first = end;
            completed++;
            // the share of this request's time that lies inside the window (see `work` below)
            const lo = Math.max(start, windowStart);
            const hi = Math.min(end, windowEnd);
            if (hi > lo) work += (hi - lo) / (end - start);
            if (end >= windowStart && end <= windowEnd) {
              latencies.push(end - start);
              ttfbs.push(first - start);
              bytes += size;
              if (status < 200 || status >= 300) {
                badStatus++;
                note(`HTTP ${status}`);
              } else if (request.expectTail !== undefined) {
                const text = tail ? Buffer.concat(tail).toString('latin1') : '';
                if (!text.slice(-TAIL_KEEP).includes(request.expectTail)) {
                  badTail++;
                  note(`no ${JSON.stringify(request.expectTail)} near the end: …${JSON.stringify(text.slice(-120))}`);
                }
              }
            }
            resolve();
          },
          onResponseError(_controller, err) {
            const now = performance.now();
            if (now >= windowStart && now <= windowEnd) {
              errors++;
              note(err.message);
            }
            resolve();
          },
        },
      );
    });

  const user = async (client) => {
    while (performance.now() < windowEnd) await oneRequest(client);
  };
  await Promise.all(clients.map(user));
  clearTimeout(openTimer);
  clearTimeout(closeTimer);
  if (!windowOpened) opts.onWindowStart?.();
  if (!windowClosed) opts.onWindowEnd?.();
  if (!opts.clients) await closeClients(clients);

  const ok = latencies.length - badStatus - badTail;
  const result = {
    concurrency,
    durationMs,
    requests: latencies.length,
    work,
    ok,
    completed,
    rps: work / (durationMs / 1000),
    bytesPerRequest: latencies.length ? bytes / latencies.length : 0,
    latency: summarize(latencies),
    ttfb: summarize(ttfbs),
    errors: errors + badStatus + badTail,
    errorSamples,
  };
  // the raw timings, for merging slices (interleave.mjs); not enumerable, so never written out
  Object.defineProperty(result, 'samples', { value: { latencies, ttfbs } });
  return result;
}

/** One keep-alive connection per virtual user (no pipelining), to the same origin. */
export function openClients(origin, concurrency) {
  const clients = [];
  for (let i = 0; i < concurrency; i++) {
    clients.push(
      new Client(origin, {
        pipelining: 1,
        keepAliveTimeout: 120_000,
        keepAliveMaxTimeout: 600_000,
        headersTimeout: 60_000,
        bodyTimeout: 60_000,
      }),
    );
  }
  return clients;
}

export const closeClients = (clients) => Promise.all(clients.map((c) => c.destroy()));

export function percentile(sorted, p) {
  if (sorted.length === 0) return Number.NaN;
  const i = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[i];
}

export function summarize(values) {
  const sorted = Float64Array.from(values).sort();
  return {
    p50: percentile(sorted, 50),
    p90: percentile(sorted, 90),
    p99: percentile(sorted, 99),
    max: sorted.length ? sorted[sorted.length - 1] : Number.NaN,
  };
}

/** One request, fully read: status, headers and body (for probing a system before measuring it). */
export async function probe(request) {
  const client = new Client(request.origin);
  try {
    const res = await client.request({
      path: request.path,
      method: request.method ?? 'POST',
      headers: request.headers,
      body: request.body ?? null,
      headersTimeout: 30_000,
      bodyTimeout: 30_000,
    });
    const body = Buffer.from(await res.body.arrayBuffer());
    return { status: res.statusCode, headers: res.headers, body };
  } finally {
    await client.destroy();
  }
}
