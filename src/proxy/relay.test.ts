import { EventEmitter } from 'node:events';
import type { ServerResponse } from 'node:http';
import { describe, expect, it } from 'vitest';
import { PassthroughPump } from './pump.js';
import { relayStream } from './relay.js';
import { UpstreamBody } from './upstream-body.js';

// How the relay hands a passthrough stream to the client's response: what it corks, writes and
// ends, and when. A recording stand-in for the ServerResponse (the end-to-end behaviour, bytes and
// backpressure through real sockets, is in test/proxy/).

const HWM = 16 * 1024;

class RecordingResponse extends EventEmitter {
  log: string[] = [];
  destroyed = false;
  writableEnded = false;
  writableLength = 0;
  readonly writableHighWaterMark = HWM;
  /** What write() answers next (false: "my buffer is full"), and the buffer size it leaves. */
  full: { bufferAfter: number } | undefined;
  /** The client's socket: the relay corks it (not the response, see relay.ts). */
  readonly socket = {
    destroyed: false,
    writableCorked: 0,
    cork: () => {
      this.log.push('cork');
      this.socket.writableCorked++;
    },
    uncork: () => {
      this.log.push('uncork');
      this.socket.writableCorked--;
    },
  };
  cork() {
    this.log.push('response cork');
  }
  uncork() {
    this.log.push('response uncork');
  }
  write(data: Buffer) {
    this.log.push(`write ${eventName(data)}`);
    if (this.full === undefined) return true;
    this.writableLength = this.full.bufferAfter;
    this.full = undefined;
    return false;
  }
  end(data?: Buffer) {
    this.log.push(data === undefined ? 'end' : `end ${eventName(data)}`);
    this.writableEnded = true;
    this.socket.writableCorked = 0; // Node uncorks the socket fully on end()
  }
}

const eventName = (data: Buffer) => /^event: (\w+)/.exec(data.toString())?.[1] ?? '?';
const event = (name: string) => Buffer.from(`event: ${name}\ndata: {"type":"${name}"}\n\n`);
const flow = { pause() {}, resume() {}, abort() {} };
const tick = () => new Promise((resolve) => setImmediate(resolve));

function relay(res: RecordingResponse, body: UpstreamBody) {
  return relayStream({
    res: res as unknown as ServerResponse,
    body,
    pump: new PassthroughPump('anthropic_messages'),
    gate: false,
    firstEventTimeoutMs: 1000,
    commit: () => res.log.push('commit'),
    where: 'profile "test"',
    clientGone: () => false,
  });
}

describe('relayStream, passthrough', () => {
  it('a burst that arrived with its end leaves corked and goes out with the end (one write)', async () => {
    const res = new RecordingResponse();
    const body = new UpstreamBody(flow);
    for (const name of ['message_start', 'content_block_delta', 'message_stop']) body.push(event(name));
    body.end();
    const result = await relay(res, body);
    expect(res.log).toEqual([
      'commit',
      'cork',
      'write message_start',
      'write content_block_delta',
      'write message_stop',
      'end',
    ]);
    expect(result).toMatchObject({ committed: true });
    expect(res.socket.writableCorked).toBe(0);
  });

  it('a paced event is written at once, uncorked; the last one corked with the end', async () => {
    const res = new RecordingResponse();
    const body = new UpstreamBody(flow);
    const done = relay(res, body);
    body.push(event('message_start'));
    await tick();
    expect(res.log).toEqual(['commit', 'write message_start']);
    body.push(event('content_block_delta'));
    await tick();
    expect(res.log).toEqual(['commit', 'write message_start', 'write content_block_delta']);
    body.push(event('message_stop'));
    body.end();
    await done;
    expect(res.log.slice(3)).toEqual(['cork', 'write message_stop', 'end']);
  });

  it('a burst without its end is uncorked before the relay waits for more', async () => {
    const res = new RecordingResponse();
    const body = new UpstreamBody(flow);
    const done = relay(res, body);
    body.push(event('message_start'));
    body.push(event('content_block_start'));
    await tick();
    expect(res.log).toEqual(['commit', 'cork', 'write message_start', 'write content_block_start', 'uncork']);
    body.push(event('message_stop'));
    body.end();
    await done;
    expect(res.log.slice(5)).toEqual(['cork', 'write message_stop', 'end']);
  });

  it('a full client buffer while corked: uncorked, then waits for drain before the next write', async () => {
    const res = new RecordingResponse();
    const body = new UpstreamBody(flow);
    res.full = { bufferAfter: HWM };
    for (const name of ['message_start', 'content_block_delta', 'message_stop']) body.push(event(name));
    body.end();
    const done = relay(res, body);
    await tick();
    expect(res.log).toEqual(['commit', 'cork', 'write message_start', 'uncork']);
    res.writableLength = 0;
    res.emit('drain');
    await done;
    expect(res.log.slice(4)).toEqual(['cork', 'write content_block_delta', 'write message_stop', 'end']);
  });

  it('no wait when uncorking emptied the buffer (Node >= 21 sends no drain then)', async () => {
    const res = new RecordingResponse();
    const body = new UpstreamBody(flow);
    res.full = { bufferAfter: 0 }; // the corked bytes left with the uncork
    for (const name of ['message_start', 'message_stop']) body.push(event(name));
    body.end();
    await relay(res, body); // would hang waiting for a 'drain' that never comes
    expect(res.log).toEqual(['commit', 'cork', 'write message_start', 'uncork', 'cork', 'write message_stop', 'end']);
  });
});
