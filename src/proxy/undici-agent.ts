import { createRequire } from 'node:module';
import type { Agent as UndiciAgent } from 'undici';

// undici's index loads everything it offers (fetch, WebSocket, caches, mocks, proxies …); the
// proxy needs only the Agent and its dispatch() (upstream-client.ts). Loading just that file keeps
// ~8 MB of resident memory out of every proxy process. The path is undici's internals, not its
// public API: should a later 7.x move it, the whole package is loaded instead (the same Agent).
const require = createRequire(import.meta.url);

function slimAgent(): typeof UndiciAgent | undefined {
  try {
    const Agent = require('undici/lib/dispatcher/agent.js') as typeof UndiciAgent;
    return typeof Agent.prototype.dispatch === 'function' ? Agent : undefined;
  } catch {
    return undefined;
  }
}

export const Agent: typeof UndiciAgent = slimAgent() ?? (require('undici') as { Agent: typeof UndiciAgent }).Agent;
