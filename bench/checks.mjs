// Before a scenario is measured, one request per system is read in full and judged here: a
// passthrough must give the client the upstream's bytes and headers; a conversion must give a
// well-formed answer in the client's format carrying the upstream's text and usage. What is
// found goes into the report's "Checks" section (the bench never fails on it).

/** What the mock sends per Chat stream: role chunk, 50 content chunks, finish, usage, [DONE]. */
const STREAM_CHUNKS = '1+50+3';
const IGNORED_HEADERS = new Set(['date', 'connection', 'keep-alive', 'transfer-encoding', 'content-length']);

/** Splits an SSE body into {event, data} (enough for well-formed test streams). */
export function parseSse(text) {
  const events = [];
  for (const block of text.split(/\r?\n\r?\n/)) {
    if (!block.trim()) continue;
    let event;
    const data = [];
    for (const line of block.split(/\r?\n/)) {
      if (line.startsWith('event:')) event = line.slice(6).trim();
      else if (line.startsWith('data:')) data.push(line.slice(5).replace(/^ /, ''));
    }
    events.push({ event, data: data.join('\n') });
  }
  return events;
}

const json = (text) => {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
};

function anthropicStreamText(events) {
  return events
    .filter((e) => e.event === 'content_block_delta')
    .map((e) => json(e.data)?.delta?.text ?? '')
    .join('');
}

function chatStreamText(events) {
  return events
    .map((e) => json(e.data)?.choices?.[0]?.delta?.content ?? '')
    .filter((t) => typeof t === 'string')
    .join('');
}

function headerDiff(reference, actual) {
  const ref = Object.keys(reference).filter((h) => !IGNORED_HEADERS.has(h));
  const act = Object.keys(actual).filter((h) => !IGNORED_HEADERS.has(h));
  const missing = ref.filter((h) => !(h in actual));
  const extra = act.filter((h) => !(h in reference));
  const changed = ref.filter((h) => h in actual && String(actual[h]) !== String(reference[h]));
  return { missing, extra, changed };
}

/** Generic checks on any response of a proxy: status, hop-by-hop headers, framing. */
function responseIssues(who, probe) {
  const issues = [];
  if (probe.status !== 200) {
    issues.push(`${who}: HTTP ${probe.status}: ${probe.body.toString('utf8').slice(0, 300)}`);
    return issues;
  }
  const h = probe.headers;
  for (const name of ['upgrade', 'proxy-connection', 'te', 'trailer']) {
    if (name in h) issues.push(`${who}: hop-by-hop header "${name}" sent to the client`);
  }
  // Node servers send their own Keep-Alive; the mock's says timeout=120, a proxy's must not
  if (who !== 'direct' && String(h['keep-alive'] ?? '').includes('timeout=120'))
    issues.push(`${who}: passed the upstream's Keep-Alive header (${h['keep-alive']}) to the client`);
  if ('content-length' in h && Number(h['content-length']) !== probe.body.length)
    issues.push(`${who}: content-length ${h['content-length']} but ${probe.body.length} body bytes`);
  if ('content-length' in h && 'transfer-encoding' in h)
    issues.push(`${who}: both content-length and transfer-encoding`);
  return issues;
}

const UPSTREAM_HOP_BY_HOP = ['keep-alive', 'proxy-connection', 'proxy-authorization', 'te', 'upgrade', 'trailer'];
/** Headers a proxy legitimately changes or adds on the way up. */
const UPSTREAM_OWN = new Set([
  'host',
  'connection',
  'content-length',
  'transfer-encoding',
  'x-api-key',
  'authorization',
  'accept-encoding',
  'x-mock-record',
]);

/** What the mock received from a proxy: framing, auth in the profile's style, the client's headers. */
function upstreamIssues(scenario, probes, env) {
  const issues = [];
  const s = probes.swixter.upstream;
  const d = probes.direct.upstream;
  if (!s) return ['swixter: the mock saw no request'];
  const h = s.headers;
  for (const name of UPSTREAM_HOP_BY_HOP) if (name in h) issues.push(`swixter → upstream: hop-by-hop header ${name}`);
  if (h.host !== env.mockHost) issues.push(`swixter → upstream: host ${h.host}, expected ${env.mockHost}`);
  if ('content-length' in h && Number(h['content-length']) !== s.bodyLength)
    issues.push(`swixter → upstream: content-length ${h['content-length']} but ${s.bodyLength} body bytes`);
  const f = probes.floor.upstream;
  if (f && d && f.bodyLength !== d.bodyLength && !scenario.conversion)
    issues.push(`floor → upstream: ${f.bodyLength} body bytes, the client sent ${d.bodyLength}`);
  if (!scenario.conversion) {
    if (d && s.url !== d.url) issues.push(`swixter → upstream: path ${s.url}, the client asked ${d.url}`);
    if (d && s.bodyLength !== d.bodyLength)
      issues.push(`swixter → upstream: ${s.bodyLength} body bytes, the client sent ${d.bodyLength} (body rewritten?)`);
    if (h['x-api-key'] !== env.keys.anthropic)
      issues.push(`swixter → upstream: x-api-key is not the profile's key (${String(h['x-api-key']).slice(0, 12)}…)`);
    if ('authorization' in h) issues.push('swixter → upstream: an authorization header next to the profile key');
    if (d) {
      const missing = Object.keys(d.headers).filter((n) => !UPSTREAM_OWN.has(n) && !(n in h));
      const extra = Object.keys(h).filter((n) => !UPSTREAM_OWN.has(n) && !(n in d.headers));
      if (missing.length) issues.push(`swixter → upstream: client headers dropped: ${missing.join(', ')}`);
      if (extra.length) issues.push(`swixter → upstream: headers added: ${extra.join(', ')}`);
    }
  } else {
    if (!/\/chat\/completions$/.test(s.url))
      issues.push(`swixter → upstream: path ${s.url}, expected …/chat/completions`);
    if (h.authorization !== `Bearer ${env.keys.chat}`)
      issues.push(
        `swixter → upstream: authorization is not "Bearer <profile key>" (${String(h.authorization).slice(0, 16)}…)`,
      );
    if ('x-api-key' in h) issues.push('swixter → upstream: the client’s x-api-key forwarded to a bearer-auth upstream');
    const anthropicOnly = Object.keys(h).filter((n) => n.startsWith('anthropic-'));
    if (anthropicOnly.length)
      issues.push(`swixter → upstream: Anthropic headers sent to a Chat upstream: ${anthropicOnly.join(', ')}`);
    if (!String(h['content-type']).includes('application/json'))
      issues.push(`swixter → upstream: content-type ${h['content-type']}`);
    const wantsStream = scenario.check !== 'anthropic_json';
    if (s.stream !== wantsStream)
      issues.push(`swixter → upstream: stream ${s.stream}, the client asked ${wantsStream}`);
  }
  return issues;
}

/**
 * @param {object} scenario
 * @param {Record<string, {status:number, headers:object, body:Buffer, upstream?:object}|{error:string}>} probes  per system
 * @param {{ mockHost: string, keys: { anthropic: string, chat: string } }} env
 * @returns {{ available: boolean, unavailable?: string, issues: string[], notes: string[] }}
 */
export function judge(scenario, probes, env) {
  const issues = [];
  const notes = [];
  for (const who of ['direct', 'floor']) {
    const p = probes[who];
    if (p.error) issues.push(`${who}: ${p.error}`);
    else issues.push(...responseIssues(who, p));
  }
  const s = probes.swixter;
  if (s.error) return { available: false, unavailable: `request failed: ${s.error}`, issues, notes };
  if (s.status !== 200) {
    const text = s.body.toString('utf8').slice(0, 200);
    if (scenario.conversion)
      return { available: false, unavailable: `conversion not available: ${s.status} ${text}`, issues, notes };
    issues.push(`swixter: HTTP ${s.status}: ${text}`);
    return { available: false, unavailable: `HTTP ${s.status}`, issues, notes };
  }
  issues.push(...responseIssues('swixter', s));
  if (env) issues.push(...upstreamIssues(scenario, probes, env));
  const direct = probes.direct;
  const floor = probes.floor;

  switch (scenario.check) {
    case 'identical': {
      if (!direct.error && !s.body.equals(direct.body))
        issues.push(
          `swixter: body differs from the upstream's (${s.body.length} vs ${direct.body.length} bytes): ${s.body.toString('utf8').slice(0, 160)}`,
        );
      if (!floor.error && !direct.error && !floor.body.equals(direct.body))
        issues.push(`floor: body differs from the upstream's (${floor.body.length} vs ${direct.body.length} bytes)`);
      if (!direct.error) {
        const d = headerDiff(direct.headers, s.headers);
        if (d.missing.length) issues.push(`swixter: upstream headers not passed on: ${d.missing.join(', ')}`);
        if (d.extra.length) notes.push(`swixter adds headers: ${d.extra.join(', ')}`);
        if (d.changed.length)
          issues.push(
            `swixter: headers changed: ${d.changed.map((h) => `${h}: ${direct.headers[h]} → ${s.headers[h]}`).join('; ')}`,
          );
      }
      break;
    }
    case 'anthropic_stream': {
      const events = parseSse(s.body.toString('utf8'));
      const names = events.map((e) => e.event);
      if (!String(s.headers['content-type']).startsWith('text/event-stream'))
        issues.push(`swixter: content-type ${s.headers['content-type']} on a stream`);
      if (names[0] !== 'message_start') issues.push(`swixter: stream starts with ${names[0]}, not message_start`);
      if (names.at(-1) !== 'message_stop') issues.push(`swixter: stream ends with ${names.at(-1)}, not message_stop`);
      const expected = direct.error ? undefined : chatStreamText(parseSse(direct.body.toString('utf8')));
      const got = anthropicStreamText(events);
      if (expected !== undefined && got !== expected)
        issues.push(`swixter: converted text differs: ${JSON.stringify(got.slice(0, 80))}`);
      const usage = events
        .filter((e) => e.event === 'message_delta')
        .map((e) => json(e.data)?.usage)
        .at(-1);
      if (!usage?.output_tokens) issues.push('swixter: no output_tokens in message_delta usage');
      const deltas = names.filter((n) => n === 'content_block_delta').length;
      notes.push(
        `conversion: ${events.length} Anthropic events out (${deltas} deltas) for ${STREAM_CHUNKS} Chat chunks`,
      );
      break;
    }
    case 'anthropic_json': {
      const body = json(s.body.toString('utf8'));
      if (body?.type !== 'message')
        issues.push(`swixter: not an Anthropic message: ${s.body.toString().slice(0, 160)}`);
      const text = body?.content?.find?.((c) => c.type === 'text')?.text;
      const expected = direct.error ? undefined : json(direct.body.toString('utf8'))?.choices?.[0]?.message?.content;
      if (expected !== undefined && text !== expected) issues.push('swixter: converted text differs from the upstream');
      if (!body?.usage?.output_tokens) issues.push('swixter: no usage.output_tokens');
      break;
    }
    case 'responses_stream': {
      const events = parseSse(s.body.toString('utf8'));
      const types = events.map((e) => e.event ?? json(e.data)?.type);
      if (types[0] !== 'response.created') issues.push(`swixter: stream starts with ${types[0]}`);
      if (types.at(-1) !== 'response.completed') issues.push(`swixter: stream ends with ${types.at(-1)}`);
      const text = events
        .filter((_e, i) => types[i] === 'response.output_text.delta')
        .map((e) => json(e.data)?.delta ?? '')
        .join('');
      const expected = direct.error ? undefined : chatStreamText(parseSse(direct.body.toString('utf8')));
      if (expected !== undefined && text !== expected)
        issues.push(`swixter: converted text differs: ${JSON.stringify(text.slice(0, 80))}`);
      const completed = events.at(-1) && json(events.at(-1).data);
      if (!completed?.response?.usage) issues.push('swixter: response.completed has no usage');
      notes.push(`conversion: ${events.length} Responses events out for ${STREAM_CHUNKS} Chat chunks`);
      break;
    }
  }
  return { available: true, issues, notes };
}
