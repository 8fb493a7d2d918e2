import { describe, expect, it } from 'vitest';
import { ENCODED_TOOL_ID_PREFIX, toClientToolId, toUpstreamToolId } from './tool-ids.js';

describe('tool ids (case 40)', () => {
  it.each(['call_abc123', 'toolu_01A09q90qw90lq917835lq9', 'a1B2c3D4e5F6g7H8i9J0k1L2m3N4o5P6', 'toolu_bdrk_01x'])(
    'passes valid id %s verbatim in both directions',
    (id) => {
      expect(toClientToolId(id)).toBe(id);
      expect(toUpstreamToolId(id)).toBe(id);
    },
  );

  it.each(['functions.add:0', 'functions.Read:12', 'call 1', 'id/with/slashes', 'ünïcødé:1'])(
    'encodes %s into an Anthropic-valid id and decodes it back',
    (id) => {
      const client = toClientToolId(id);
      expect(client).toMatch(/^toolu_swx_[a-zA-Z0-9_-]+$/);
      expect(toUpstreamToolId(client)).toBe(id);
    },
  );

  it('is deterministic (the same upstream id always gives the same client id)', () => {
    expect(toClientToolId('functions.add:0')).toBe('toolu_swx_ZnVuY3Rpb25zLmFkZDow');
  });

  it('encodes a valid id that already carries the prefix, so it survives the round trip', () => {
    const tricky = `${ENCODED_TOOL_ID_PREFIX}abc`;
    const client = toClientToolId(tricky);
    expect(client).not.toBe(tricky);
    expect(toUpstreamToolId(client)).toBe(tricky);
  });

  it('leaves a prefixed id that is not a faithful encoding unchanged', () => {
    expect(toUpstreamToolId(`${ENCODED_TOOL_ID_PREFIX}`)).toBe(ENCODED_TOOL_ID_PREFIX);
    expect(toUpstreamToolId(`${ENCODED_TOOL_ID_PREFIX}A`)).toBe(`${ENCODED_TOOL_ID_PREFIX}A`);
  });
});
