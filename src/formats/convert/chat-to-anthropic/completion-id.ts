import { newId } from '../../ids.js';

/** The Chat id for an Anthropic message: `chatcmpl-<msg id>`, so logs on both sides line up. */
export function chatCompletionId(upstreamId: unknown): string {
  return typeof upstreamId === 'string' && /^[a-zA-Z0-9_-]+$/.test(upstreamId)
    ? `chatcmpl-${upstreamId}`
    : newId('chatcmpl-');
}
