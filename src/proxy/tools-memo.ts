import type { PreparedTools, ProviderQuirks, ToolsStage } from '../formats/convert/types.js';

/** A request's tools as a converter's ToolsStage prepared them, ready to splice into upstream bodies. */
export interface KeptTools {
  readonly prepared: PreparedTools;
  /** The upstream's tools as bytes (prepared.json, with what was lifted spliced back); undefined: no tool goes upstream. */
  readonly bytes: Buffer | undefined;
}

interface Entry extends KeptTools {
  readonly stage: ToolsStage;
  /** The provider's quirks as JSON: what prepare() read besides the tools. */
  readonly quirks: string;
  /** The client's tools bytes (a copy: a slice would keep the whole request body alive). */
  readonly raw: Buffer;
  readonly size: number;
}

export interface ToolsMemoLimits {
  /** Most tool sets kept (a coder's main agent, its subagents, several sessions). */
  entries: number;
  /** Most bytes kept (client and converted bytes together). */
  bytes: number;
  /** Smaller tools values are converted on every request: too cheap to keep. */
  minBytes: number;
}

const LIMITS: ToolsMemoLimits = { entries: 16, bytes: 16 * 1024 * 1024, minBytes: 1024 };

/**
 * Converted tools, kept by the client's bytes, the converter and the provider's quirks, most
 * recently used first. Claude Code resends the same ~60 KB of tool schemas on every turn; their
 * conversion was a third of a 1 MB request's (docs/performance.md, "Session 19"). A lookup
 * compares lengths, then bytes (memcmp): no hash, so no collision can hand one request another's
 * tools.
 */
export class ToolsMemo {
  readonly #entries: Entry[] = [];
  #bytes = 0;
  #hits = 0;
  readonly #limits: ToolsMemoLimits;

  constructor(limits: Partial<ToolsMemoLimits> = {}) {
    this.#limits = { ...LIMITS, ...limits };
  }

  /** How many requests were served a kept conversion. */
  get hits(): number {
    return this.#hits;
  }

  get size(): number {
    return this.#entries.length;
  }

  /**
   * The end of the kept tools whose bytes start at `buf[at]`, if any: a kept array is one whole
   * JSON value, so the same bytes end where it does (json-lift.ts LiftOptions.wholeEnd).
   */
  readonly endOfKept = (buf: Buffer, at: number): number | undefined => {
    for (const { raw } of this.#entries) {
      const end = at + raw.length;
      if (end <= buf.length && buf.compare(raw, 0, raw.length, at, end) === 0) return end;
    }
    return undefined;
  };

  /**
   * The tools in `raw` (a JSON array's text) as `stage` prepared them for a provider with these
   * quirks: kept ones, or `prepare()`'s (kept now). What prepare() throws is thrown; nothing is
   * kept then.
   */
  get(stage: ToolsStage, quirks: ProviderQuirks, raw: Buffer, prepare: () => KeptTools): KeptTools {
    const key = JSON.stringify(quirks);
    const entries = this.#entries;
    for (let i = 0; i < entries.length; i++) {
      const entry = entries[i]!;
      if (entry.raw.length !== raw.length || entry.stage !== stage || entry.quirks !== key || !entry.raw.equals(raw))
        continue;
      if (i > 0) entries.unshift(...entries.splice(i, 1));
      this.#hits++;
      return entry;
    }
    const kept = prepare();
    const { prepared, bytes } = kept;
    const size = raw.length + 2 * (bytes?.length ?? 0); // the JSON text is kept too
    if (raw.length < this.#limits.minBytes || size > this.#limits.bytes) return kept;
    entries.unshift({ prepared, bytes, stage, quirks: key, raw: Buffer.from(raw), size });
    this.#bytes += size;
    while (entries.length > this.#limits.entries || this.#bytes > this.#limits.bytes) {
      this.#bytes -= entries.pop()!.size;
    }
    return kept;
  }
}
