import { createRequire } from 'node:module';
import type { Agent as UndiciAgent } from 'undici';

// undici's index loads everything it offers (fetch, WebSocket, caches, mocks, proxies …); the
// proxy needs only the Agent and its request() API. Loading just those files, the way undici's own
// index wires them (`Object.assign(Dispatcher.prototype, api)`), keeps ~8 MB of resident memory
// out of every proxy process. The version is pinned by package-lock.json; every proxy test goes
// through this Agent, so a layout change in undici fails the suite at once.
const require = createRequire(import.meta.url);
const Dispatcher = require('undici/lib/dispatcher/dispatcher.js') as { prototype: object };
const api = require('undici/lib/api/index.js') as object;
if (!('request' in Dispatcher.prototype)) Object.assign(Dispatcher.prototype, api);

export const Agent = require('undici/lib/dispatcher/agent.js') as typeof UndiciAgent;
