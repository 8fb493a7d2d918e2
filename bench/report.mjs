// Turns the raw measurements into the summary (medians over rounds, paired ratios, targets) and
// renders it as text tables. The same summary goes into the JSON file.

export function stat(values) {
  const v = values.filter((x) => typeof x === 'number' && Number.isFinite(x)).sort((a, b) => a - b);
  if (v.length === 0) return null;
  const mid = Math.floor(v.length / 2);
  const median = v.length % 2 ? v[mid] : (v[mid - 1] + v[mid]) / 2;
  return { median, min: v[0], max: v[v.length - 1], n: v.length };
}

const METRICS = {
  rps: (r) => r.rps,
  p50: (r) => r.latency.p50,
  p99: (r) => r.latency.p99,
  ttfb50: (r) => r.ttfb.p50,
  ttfb99: (r) => r.ttfb.p99,
  cpu: (r) => r.cpuUsPerRequest,
};

/** Median [min–max] over rounds of one metric of one system in one scenario. */
function metric(results, id, system, name) {
  const sc = results.scenarios[id];
  if (!sc?.available) return null;
  return stat(sc.rounds.map((round) => (round[system] ? METRICS[name](round[system]) : Number.NaN)));
}

/** Per-round pairing: a/b (ratio) or a-b (added), then median [min–max] over rounds. */
function paired(results, id, name, a, b, op) {
  const sc = results.scenarios[id];
  if (!sc?.available) return null;
  return stat(
    sc.rounds.map((round) => {
      if (!round[a] || !round[b]) return Number.NaN;
      const x = METRICS[name](round[a]);
      const y = METRICS[name](round[b]);
      return op === 'ratio' ? x / y : x - y;
    }),
  );
}

export function buildSummary(results) {
  const m = (id, system, name) => metric(results, id, system, name);
  const ratio = (id, name, a, b) => paired(results, id, name, a, b, 'ratio');
  const added = (id, name, a, b = 'direct') => paired(results, id, name, a, b, 'added');
  const rows = (cols) =>
    Object.fromEntries(
      ['direct', 'floor', 'swixter'].map((sys) => [
        sys,
        Object.fromEntries(cols.map(([k, id, n]) => [k, m(id, sys, n)])),
      ]),
    );

  const sections = {
    json: {
      title: 'Passthrough, small JSON (Anthropic POST /v1/messages, non-streaming)',
      rows: rows([
        ['req/s c=32', 'json-c32', 'rps'],
        ['CPU µs/req c=32', 'json-c32', 'cpu'],
        ['p50 ms c=1', 'json-c1', 'p50'],
        ['p99 ms c=1', 'json-c1', 'p99'],
      ]),
      derived: {
        'Swixter/floor req/s c=32': ratio('json-c32', 'rps', 'swixter', 'floor'),
        'Swixter/direct req/s c=32': ratio('json-c32', 'rps', 'swixter', 'direct'),
        'floor/direct req/s c=32': ratio('json-c32', 'rps', 'floor', 'direct'),
        'floor added p50 ms c=1': added('json-c1', 'p50', 'floor'),
        'Swixter added p50 ms c=1': added('json-c1', 'p50', 'swixter'),
        'Swixter/floor CPU per request': ratio('json-c32', 'cpu', 'swixter', 'floor'),
      },
    },
    sse: {
      title: `Passthrough, streaming (Anthropic SSE, 50 deltas, unpaced)`,
      rows: rows([
        ['TTFB p50 ms c=1', 'sse-c1', 'ttfb50'],
        ['TTFB p99 ms c=1', 'sse-c1', 'ttfb99'],
        ['last byte p50 ms c=1', 'sse-c1', 'p50'],
        ['req/s c=32', 'sse-c32', 'rps'],
        ['CPU µs/req c=32', 'sse-c32', 'cpu'],
      ]),
      derived: {
        'floor added TTFB p50 ms': added('sse-c1', 'ttfb50', 'floor'),
        'Swixter added TTFB p50 ms': added('sse-c1', 'ttfb50', 'swixter'),
        'Swixter/floor req/s c=32': ratio('sse-c32', 'rps', 'swixter', 'floor'),
        'Swixter/direct req/s c=32': ratio('sse-c32', 'rps', 'swixter', 'direct'),
        'Swixter/floor CPU per request': ratio('sse-c32', 'cpu', 'swixter', 'floor'),
      },
    },
    '1mb': {
      title: 'Passthrough, 1 MB Claude-Code-shaped request (JSON body, JSON answer)',
      rows: rows([
        ['req/s c=8', '1mb-c8', 'rps'],
        ['CPU µs/req c=8', '1mb-c8', 'cpu'],
        ['p50 ms c=1', '1mb-c1', 'p50'],
        ['p99 ms c=1', '1mb-c1', 'p99'],
      ]),
      derived: {
        'Swixter/floor req/s c=8': ratio('1mb-c8', 'rps', 'swixter', 'floor'),
        'Swixter/direct req/s c=8': ratio('1mb-c8', 'rps', 'swixter', 'direct'),
        'floor added p50 ms c=1': added('1mb-c1', 'p50', 'floor'),
        'Swixter added p50 ms c=1': added('1mb-c1', 'p50', 'swixter'),
        'Swixter/floor CPU per request': ratio('1mb-c8', 'cpu', 'swixter', 'floor'),
      },
    },
    'conv-sse': {
      title: 'Conversion: Anthropic streaming client → OpenAI Chat upstream (50 content chunks, unpaced)',
      legend:
        'direct = a Chat stream request straight to the mock (its native format); floor = the same Anthropic stream request passed through to the mock’s /v1/messages',
      rows: rows([
        ['TTFB p50 ms c=1', 'conv-sse-c1', 'ttfb50'],
        ['last byte p50 ms c=1', 'conv-sse-c1', 'p50'],
        ['req/s c=32', 'conv-sse-c32', 'rps'],
        ['CPU µs/req c=32', 'conv-sse-c32', 'cpu'],
      ]),
      derived: {
        'Swixter/floor req/s c=32': ratio('conv-sse-c32', 'rps', 'swixter', 'floor'),
        'floor added TTFB p50 ms': added('conv-sse-c1', 'ttfb50', 'floor'),
        'Swixter added TTFB p50 ms': added('conv-sse-c1', 'ttfb50', 'swixter'),
        'Swixter/floor CPU per request': ratio('conv-sse-c32', 'cpu', 'swixter', 'floor'),
      },
    },
    'conv-1mb': {
      title: 'Conversion: 1 MB Claude-Code-shaped Anthropic request → OpenAI Chat (JSON answer)',
      legend:
        'direct = the equivalent 1 MB Chat request straight to the mock; floor = the Anthropic request passed through',
      rows: rows([
        ['p50 ms c=1', 'conv-1mb-c1', 'p50'],
        ['p99 ms c=1', 'conv-1mb-c1', 'p99'],
        ['req/s c=8', 'conv-1mb-c8', 'rps'],
        ['CPU µs/req c=8', 'conv-1mb-c8', 'cpu'],
      ]),
      derived: {
        'Swixter/floor req/s c=8': ratio('conv-1mb-c8', 'rps', 'swixter', 'floor'),
        'Swixter added p50 ms c=1': added('conv-1mb-c1', 'p50', 'swixter'),
        'Swixter/floor CPU per request': ratio('conv-1mb-c8', 'cpu', 'swixter', 'floor'),
      },
    },
    'resp-sse': {
      title: 'Conversion: Responses streaming client (Codex-shaped) → OpenAI Chat upstream (50 content chunks)',
      legend:
        'direct = the equivalent Chat stream request straight to the mock; floor = that Chat request passed through (the upstream’s bytes)',
      rows: rows([
        ['TTFB p50 ms c=1', 'resp-sse-c1', 'ttfb50'],
        ['last byte p50 ms c=1', 'resp-sse-c1', 'p50'],
        ['req/s c=32', 'resp-sse-c32', 'rps'],
        ['CPU µs/req c=32', 'resp-sse-c32', 'cpu'],
      ]),
      derived: {
        'Swixter/floor req/s c=32': ratio('resp-sse-c32', 'rps', 'swixter', 'floor'),
        'Swixter added TTFB p50 ms': added('resp-sse-c1', 'ttfb50', 'swixter'),
        'Swixter/floor CPU per request': ratio('resp-sse-c32', 'cpu', 'swixter', 'floor'),
      },
    },
  };

  const med = (s) => s?.median;
  const mem = results.memory ?? {};
  const inv = (st) => (st ? 1 / st.median : undefined);
  const targets = [
    target(
      'passthrough req/s ≥ 0.9× floor (small JSON, c=32)',
      med(sections.json.derived['Swixter/floor req/s c=32']),
      '≥',
      0.9,
      '×',
      undefined,
      inv(sections.json.derived['Swixter/floor CPU per request']),
    ),
    target(
      'added p50 ≤ 0.5 ms over direct (small JSON, c=1)',
      med(sections.json.derived['Swixter added p50 ms c=1']),
      '≤',
      0.5,
      ' ms',
    ),
    target(
      'streaming adds ≤ 1 ms TTFB (Anthropic SSE, c=1)',
      med(sections.sse.derived['Swixter added TTFB p50 ms']),
      '≤',
      1,
      ' ms',
    ),
    target('peak RSS ≤ 100 MB with 64 paced streams', mem.pt?.hwmMb, '≤', 100, ' MB'),
    target(
      'conversion req/s ≥ 0.7× floor (Anthropic→Chat stream, c=32)',
      med(sections['conv-sse'].derived['Swixter/floor req/s c=32']),
      '≥',
      0.7,
      '×',
      unavailable(results, 'conv-sse-c32'),
      inv(sections['conv-sse'].derived['Swixter/floor CPU per request']),
    ),
    target(
      'conversion adds ≤ 1 ms TTFB (Anthropic→Chat stream, c=1)',
      med(sections['conv-sse'].derived['Swixter added TTFB p50 ms']),
      '≤',
      1,
      ' ms',
      unavailable(results, 'conv-sse-c1'),
    ),
    target(
      'conversion req/s ≥ 0.7× floor (Responses→Chat stream, c=32)',
      med(sections['resp-sse'].derived['Swixter/floor req/s c=32']),
      '≥',
      0.7,
      '×',
      unavailable(results, 'resp-sse-c32'),
      inv(sections['resp-sse'].derived['Swixter/floor CPU per request']),
    ),
    target(
      'conversion adds ≤ 1 ms TTFB (Responses→Chat stream, c=1)',
      med(sections['resp-sse'].derived['Swixter added TTFB p50 ms']),
      '≤',
      1,
      ' ms',
      unavailable(results, 'resp-sse-c1'),
    ),
  ];
  return { sections, targets, memory: mem };
}

function unavailable(results, id) {
  const sc = results.scenarios[id];
  return sc && !sc.available ? sc.unavailable : undefined;
}

/** `cpuView`: for req/s targets, floor CPU ÷ Swixter CPU per request (the req/s ratio a CPU-bound proxy would reach). */
function target(name, value, op, limit, unit, na, cpuView) {
  if (value === undefined || value === null || !Number.isFinite(value))
    return { name, value: null, limit, op, unit, met: null, note: na ? `n/a (${na})` : 'not measured' };
  const met = op === '≥' ? value >= limit : value <= limit;
  return { name, value, limit, op, unit, met, ...(cpuView !== undefined ? { cpuView } : {}) };
}

// ---- text rendering -----------------------------------------------------------------------------

/** A target's measured value with two decimals, or three when two would print the limit itself (0.897 → "0.897", not "0.90 MISSED"). */
function targetValue(t) {
  const shown = num(t.value, 2);
  return shown === num(t.limit, 2) && t.value !== t.limit ? num(t.value, 3) : shown;
}

const digitsFor = (v) => (Math.abs(v) >= 1000 ? 0 : Math.abs(v) >= 100 ? 0 : Math.abs(v) >= 10 ? 1 : 2);
export function num(v, digits) {
  if (v === undefined || v === null || !Number.isFinite(v)) return '–';
  const d = digits ?? digitsFor(v);
  return v.toLocaleString('en-US', { minimumFractionDigits: d, maximumFractionDigits: d });
}
function cell(s, digits, prefix = '') {
  if (!s) return '–';
  const sign = (v) => (prefix === '+' && v >= 0 ? '+' : '');
  const main = `${sign(s.median)}${num(s.median, digits)}`;
  if (s.n < 2) return main;
  return `${main} [${sign(s.min)}${num(s.min, digits)}…${sign(s.max)}${num(s.max, digits)}]`;
}

function table(headers, rows) {
  const widths = headers.map((h, i) => Math.max(h.length, ...rows.map((r) => String(r[i]).length)));
  const line = (cols) =>
    cols.map((c, i) => (i === 0 ? String(c).padEnd(widths[i]) : String(c).padStart(widths[i]))).join('  ');
  return [line(headers), line(widths.map((w) => '-'.repeat(w))), ...rows.map(line)].map((l) => `  ${l}`).join('\n');
}

const digitsOf = (col) => (col.startsWith('req/s') || col.startsWith('CPU') ? 0 : 2);

/**
 * "1000+1500 ms", or with slices "1000 + (1+6)×(50+250) ms": a warm-up once, then slices of a
 * warm-up and a measured part, the first one not counted (interleave.mjs).
 */
function windowText(w) {
  if (!w.slices) return `${w.warmupMs}+${w.durationMs} ms`;
  return `${w.warmupMs}+${w.durationMs} ms for direct, ${w.warmupMs} + (1+${w.slices})×(${w.sliceWarmupMs}+${num(w.durationMs / w.slices, 0)}) ms for the floor and Swixter, the first slice not counted`;
}

export function renderText(results, summary) {
  const out = [];
  const meta = results.meta;
  out.push(`Swixter bench — ${meta.startedAt}`);
  out.push(
    `Node ${meta.node} on ${meta.cpuModel} (${meta.cores} cores), ${meta.platform}; pinning: ${meta.pinning.enabled ? `yes (proxies on core ${meta.pinning.proxyCore}, mock + load client on core ${meta.pinning.loadCore})` : `no (${meta.pinning.reason})`}`,
  );
  out.push(
    `${meta.rounds} round(s): direct in a window of its own, the floor and Swixter in alternating slices (which system comes first alternates by round); figures are median [min…max] over rounds${meta.quick ? '; QUICK run (short windows: numbers are rough)' : ''}`,
  );
  out.push(
    `windows (warm-up + measured): throughput ${windowText(meta.windows.throughput)}; latency ${windowText(meta.windows.latency)}; all on 127.0.0.1`,
  );
  const la = meta.loadAverage;
  out.push(
    `machine load: loadavg ${la.start.map((x) => x.toFixed(2)).join(' ')} at start, ${la.end.map((x) => x.toFixed(2)).join(' ')} at end${meta.foreignCpu ? `; other processes used a median ${num(meta.foreignCpu.medianPct, 0)}% (max ${num(meta.foreignCpu.maxPct, 0)}%) of a core during measuring windows` : ''}`,
  );
  out.push(`Swixter ${meta.swixter.version} (${meta.swixter.revision})`);
  out.push('');

  for (const [group, section] of Object.entries(summary.sections)) {
    out.push(section.title);
    if (section.legend) out.push(`  (${section.legend})`);
    const ids = Object.entries(results.scenarios).filter(([, s]) => s.group === group);
    const na = ids.find(([, s]) => !s.available);
    if (ids.length === 0) {
      out.push('  not run');
      out.push('');
      continue;
    }
    if (na && ids.every(([, s]) => !s.available)) {
      out.push(`  n/a (${na[1].unavailable})`);
      out.push('');
      continue;
    }
    const cols = Object.keys(section.rows.direct);
    out.push(
      table(
        ['', ...cols],
        ['direct', 'floor', 'swixter'].map((sys) => [
          sys,
          ...cols.map((c) => (sys === 'direct' && c.startsWith('CPU') ? '–' : cell(section.rows[sys][c], digitsOf(c)))),
        ]),
      ),
    );
    if (na) out.push(`  some rows n/a: ${na[1].unavailable}`);
    const foreign = ids.flatMap(([, sc]) =>
      sc.rounds.flatMap((round) => Object.values(round).map((r) => r.foreignCpuPct)),
    );
    const f = stat(foreign);
    if (f)
      out.push(`  other processes during these windows: median ${num(f.median, 0)}%, max ${num(f.max, 0)}% of a core`);
    const derived = Object.entries(section.derived).map(([k, s]) => {
      const isRatio = !k.includes('added');
      return `${k}: ${s ? (isRatio ? `${cell(s, 2)}×` : `${cell(s, 2, '+')} ms`) : '–'}`;
    });
    for (const d of derived) out.push(`  ${d}`);
    out.push('');
  }

  const mem = results.memory;
  out.push(`Memory: ${mem?.spec ?? 'not run'}`);
  if (mem) {
    const rowsM = [];
    for (const [k, label] of [
      ['pt', 'swixter (passthrough)'],
      ['floor', 'floor'],
      ['conv', 'swixter (Anthropic→Chat)'],
    ]) {
      const r = mem[k];
      if (!r) continue;
      if (r.unavailable) {
        rowsM.push([label, 'n/a', '', '', '', '', '', r.unavailable]);
        continue;
      }
      rowsM.push([
        label,
        num(r.rssBeforeMb, 1),
        num(r.hwmMb, 1),
        `+${num(r.hwmMb - r.rssBeforeMb, 1)}`,
        num(r.anonBeforeMb, 1),
        num(r.peakAnonMb, 1),
        num(r.ttfbP50, 2),
        `${r.requests} streams, ${r.errors} errors`,
      ]);
    }
    out.push(
      table(['', 'RSS idle MB', 'peak RSS MB', 'growth MB', 'anon idle MB', 'anon peak MB', 'TTFB p50 ms', ''], rowsM),
    );
    out.push(
      '  (peak RSS = VmHWM; anon = RssAnon, the JS heap and other private memory, sampled every 50 ms; the rest of RSS is mostly the mapped node binary, ~44 MB)',
    );
    if (mem.benchPeakMb)
      out.push(
        `  peak RSS over the whole bench (1 MB bodies at c=8 included): swixter ${num(mem.benchPeakMb.swixter, 1)} MB, floor ${num(mem.benchPeakMb.floor, 1)} MB`,
      );
  }
  out.push('');

  out.push('Targets (printed, never enforced)');
  out.push(
    table(
      ['target', 'measured', 'verdict', 'CPU view'],
      summary.targets.map((t) => [
        t.name,
        t.value === null ? '–' : `${targetValue(t)}${t.unit}`,
        t.met === null ? t.note : t.met ? 'met' : 'MISSED',
        t.cpuView === undefined ? '' : `${num(t.cpuView, 2)}×`,
      ]),
    ),
  );
  out.push(
    '  (CPU view = floor CPU per request ÷ Swixter CPU per request: the req/s ratio if both were CPU-bound on one core)',
  );
  out.push('');

  out.push('Checks');
  const checks = results.checks ?? [];
  if (checks.length === 0) out.push('  nothing odd seen');
  for (const c of checks) out.push(`  - ${c}`);
  return out.join('\n');
}
