import { describe, expect, it } from 'vitest';
import { type BodyFlow, UpstreamBody } from './upstream-body.js';

function flow(): BodyFlow & { calls: string[]; reason?: Error } {
  const f: BodyFlow & { calls: string[]; reason?: Error } = {
    calls: [],
    pause: () => f.calls.push('pause'),
    resume: () => f.calls.push('resume'),
    abort: (reason) => {
      f.calls.push('abort');
      f.reason = reason;
    },
  };
  return f;
}

const KB = (n: number, fill = 0x61) => Buffer.alloc(n * 1024, fill);

async function collect(body: UpstreamBody): Promise<Buffer[]> {
  const out: Buffer[] = [];
  for await (const chunk of body) out.push(chunk);
  return out;
}

describe('UpstreamBody.takeWhole', () => {
  it('takes a body that has arrived whole, at once, and leaves nothing held', async () => {
    const f = flow();
    const body = new UpstreamBody(f);
    body.push(Buffer.from('{"a":'));
    expect(body.takeWhole(1024)).toBeUndefined(); // not complete yet: nothing is taken
    body.push(Buffer.from('1}'));
    body.end();
    expect(String(body.takeWhole(1024))).toBe('{"a":1}');
    expect(body.queued).toBe(false);
    expect((await body.readAll(1024)).bytes.length).toBe(0);
    expect(f.calls).toEqual([]);
  });

  it('leaves a body over the limit, or one that failed, to readAll', async () => {
    const big = new UpstreamBody(flow());
    big.push(Buffer.from('abcdef'));
    big.end();
    expect(big.takeWhole(5)).toBeUndefined();
    expect(await big.readAll(5)).toEqual({ bytes: Buffer.from('abcde'), truncated: true });
    const failed = new UpstreamBody(flow());
    failed.push(Buffer.from('ab'));
    failed.fail(new Error('reset'));
    expect(failed.takeWhole(5)).toBeUndefined();
    await expect(failed.readAll(5)).rejects.toThrow('reset');
  });
});

describe('UpstreamBody', () => {
  it('gives chunks in order, those pushed before the read and those after, then ends', async () => {
    const body = new UpstreamBody(flow());
    body.push(Buffer.from('a'));
    body.push(Buffer.from('b'));
    const reading = collect(body);
    await Promise.resolve();
    body.push(Buffer.from('c'));
    body.end();
    body.push(Buffer.from('late')); // nothing after the end
    expect((await reading).map(String)).toEqual(['a', 'b', 'c']);
  });

  it('pauses the socket past 64 KB held and resumes once the reader took it down to 32 KB', async () => {
    const f = flow();
    const body = new UpstreamBody(f);
    body.push(KB(40));
    expect(f.calls).toEqual([]);
    body.push(KB(40)); // 80 KB held
    expect(f.calls).toEqual(['pause']);
    body.push(KB(20)); // still paused: no second pause
    await body.next(); // 60 KB held
    await body.next(); // 20 KB held
    expect(f.calls).toEqual(['pause', 'resume']);
    await body.next();
    expect(f.calls).toEqual(['pause', 'resume']);
  });

  it('a transport error comes after the chunks that arrived before it', async () => {
    const body = new UpstreamBody(flow());
    body.push(Buffer.from('a'));
    body.fail(Object.assign(new Error('socket hang up'), { code: 'UND_ERR_SOCKET' }));
    expect(String((await body.next()).value)).toBe('a');
    await expect(body.next()).rejects.toMatchObject({ code: 'UND_ERR_SOCKET' });
  });

  it('an error while the reader waits rejects that read', async () => {
    const body = new UpstreamBody(flow());
    const waiting = body.next();
    body.fail(new Error('reset'));
    await expect(waiting).rejects.toThrow('reset');
  });

  it('destroy() aborts the request and ends a waiting read with an error', async () => {
    const f = flow();
    const body = new UpstreamBody(f);
    const waiting = body.next();
    body.destroy();
    expect(f.calls).toEqual(['abort']);
    await expect(waiting).rejects.toMatchObject({ code: 'ERR_STREAM_PREMATURE_CLOSE' });
    body.destroy();
    expect(f.calls).toEqual(['abort']); // once
  });

  it('destroy() after the end does nothing: the request is complete', async () => {
    const f = flow();
    const body = new UpstreamBody(f);
    body.push(Buffer.from('a'));
    body.end();
    body.destroy();
    expect(f.calls).toEqual([]);
    expect((await collect(body)).map(String)).toEqual(['a']);
  });

  it('leaving a loop early cancels the rest of the response', async () => {
    const f = flow();
    const body = new UpstreamBody(f);
    body.push(Buffer.from('a'));
    body.push(Buffer.from('b'));
    for await (const chunk of body) {
      expect(String(chunk)).toBe('a');
      break;
    }
    expect(f.calls).toEqual(['abort']);
  });

  it('readAll joins the chunks; past the limit it cuts them and aborts the request', async () => {
    const whole = new UpstreamBody(flow());
    whole.push(Buffer.from('{"a":'));
    whole.push(Buffer.from('1}'));
    whole.end();
    expect(await whole.readAll(100)).toEqual({ bytes: Buffer.from('{"a":1}'), truncated: false });

    const f = flow();
    const big = new UpstreamBody(f);
    const reading = big.readAll(5);
    big.push(Buffer.from('abc'));
    big.push(Buffer.from('defg'));
    expect(await reading).toEqual({ bytes: Buffer.from('abcde'), truncated: true });
    expect(f.calls).toEqual(['abort']);
  });

  describe("read() and wait(), the relay loops' way", () => {
    it('read() takes what is held at once, in order, and undefined when nothing is', () => {
      const body = new UpstreamBody(flow());
      expect(body.read()).toBeUndefined();
      body.push(Buffer.from('a'));
      body.push(Buffer.from('b'));
      body.end();
      expect(body.queued).toBe(true);
      expect(body.complete).toBe(true); // complete, with chunks still to read
      expect(String(body.read())).toBe('a');
      expect(String(body.read())).toBe('b');
      expect(body.queued).toBe(false);
      expect(body.read()).toBeUndefined();
    });

    it('wait() resolves true when a chunk arrives, false once the body ended with nothing held', async () => {
      const body = new UpstreamBody(flow());
      const waiting = body.wait();
      body.push(Buffer.from('a'));
      body.push(Buffer.from('b')); // held beside the first: one wake-up for both
      expect(await waiting).toBe(true);
      expect([String(body.read()), String(body.read())]).toEqual(['a', 'b']);
      const last = body.wait();
      body.end();
      expect(await last).toBe(false);
      expect(await body.wait()).toBe(false);
    });

    it('a transport error reaches wait() only after the chunks before it were read', async () => {
      const body = new UpstreamBody(flow());
      body.push(Buffer.from('a'));
      body.fail(Object.assign(new Error('socket hang up'), { code: 'UND_ERR_SOCKET' }));
      expect(await body.wait()).toBe(true);
      expect(String(body.read())).toBe('a');
      await expect(body.wait()).rejects.toMatchObject({ code: 'UND_ERR_SOCKET' });
    });

    it('a body destroyed between the wake-up and the read: nothing to read, and wait() rejects', async () => {
      const f = flow();
      const body = new UpstreamBody(f);
      const waiting = body.wait();
      body.push(Buffer.from('a'));
      body.destroy(); // e.g. the first-event timer fired in the same turn
      expect(await waiting).toBe(true);
      expect(body.read()).toBeUndefined();
      await expect(body.wait()).rejects.toMatchObject({ code: 'ERR_STREAM_PREMATURE_CLOSE' });
      expect(f.calls).toEqual(['abort']);
      // the iterator sees the same: an error, never a chunk that is not there
      await expect(body.next()).rejects.toMatchObject({ code: 'ERR_STREAM_PREMATURE_CLOSE' });
    });

    it('read() resumes the paused socket once 32 KB or less is held', () => {
      const f = flow();
      const body = new UpstreamBody(f);
      body.push(KB(40));
      body.push(KB(40));
      expect(f.calls).toEqual(['pause']);
      body.read(); // 40 KB held
      expect(f.calls).toEqual(['pause']);
      body.read(); // 0 held
      expect(f.calls).toEqual(['pause', 'resume']);
    });

    it('a chunk that wakes a waiting reader does not pause the socket, however large', async () => {
      const f = flow();
      const body = new UpstreamBody(f);
      const waiting = body.wait();
      body.push(KB(100));
      expect(await waiting).toBe(true);
      expect(f.calls).toEqual([]);
      expect(body.read()?.length).toBe(100 * 1024);
    });
  });
});
