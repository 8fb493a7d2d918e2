import type { ApiFormat } from './api-format.js';

/** A model listing in the client's shape (protocol-notes cases 102–103). `created` is unix seconds. */
export function modelList(
  shape: 'anthropic' | 'openai',
  ids: readonly string[],
  created: number,
  owner = 'swixter',
): object {
  if (shape === 'anthropic') {
    const createdAt = new Date(created * 1000).toISOString();
    return {
      data: ids.map((id) => ({ type: 'model', id, display_name: id, created_at: createdAt })),
      has_more: false,
      first_id: ids[0] ?? null,
      last_id: ids.at(-1) ?? null,
    };
  }
  return { object: 'list', data: ids.map((id) => ({ id, object: 'model', created, owned_by: owner })) };
}

/** Model ids from an upstream listing in either shape (`{data:[{id}]}`, or Gemini `{models:[{name}]}`). */
export function modelIds(body: unknown): string[] {
  if (typeof body !== 'object' || body === null) return [];
  const b = body as { data?: unknown; models?: unknown };
  const list = Array.isArray(b.data) ? b.data : Array.isArray(b.models) ? b.models : [];
  const ids: string[] = [];
  for (const item of list) {
    if (typeof item !== 'object' || item === null) continue;
    const { id, name } = item as { id?: unknown; name?: unknown };
    if (typeof id === 'string') ids.push(id);
    else if (typeof name === 'string') ids.push(name.replace(/^models\//, ''));
  }
  return ids;
}

/** The listing shape a client expects: Anthropic clients send anthropic-version or x-api-key. */
export const listingShape = (format: ApiFormat): 'anthropic' | 'openai' =>
  format === 'anthropic_messages' ? 'anthropic' : 'openai';
