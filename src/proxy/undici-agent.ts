import { createRequire } from 'node:module';
import type { Agent as UndiciAgent } from 'undici';

// undici's index loads everything it offers (fetch, WebSocket, caches, mocks, proxies …); the
// proxy needs only the Agent and its request() API. Loading just those files, the way undici's own
// index wires them (`Object.assign(Dispatcher.prototype, api)`), keeps ~8 MB of resident memory
// out of every proxy process. These paths are undici's internals, not its public API: should a
// later 7.x move them, the whole package is loaded instead (the same Agent, only bigger).
const require = createRequire(import.meta.url);

function slimAgent(): typeof UndiciAgent | undefined {
  try {
    const Dispatcher = require('undici/lib/dispatcher/dispatcher.js') as { prototype: object };
    const api = require('undici/lib/api/index.js') as object;
    const Agent = require('undici/lib/dispatcher/agent.js') as typeof UndiciAgent;
    if (!('request' in Dispatcher.prototype)) Object.assign(Dispatcher.prototype, api);
    return typeof Agent.prototype.request === 'function' ? Agent : undefined;
  } catch {
    return undefined;
  }
}

export const Agent: typeof UndiciAgent = slimAgent() ?? (require('undici') as { Agent: typeof UndiciAgent }).Agent;
