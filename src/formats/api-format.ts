/** The wire formats Swixter speaks, on either side of the proxy. */
export const API_FORMATS = ['anthropic_messages', 'openai_chat', 'openai_responses', 'gemini'] as const;
export type ApiFormat = (typeof API_FORMATS)[number];

export function isApiFormat(value: unknown): value is ApiFormat {
  return typeof value === 'string' && (API_FORMATS as readonly string[]).includes(value);
}

/** The client format a request path speaks, or undefined when the path is not a known API call. */
export function clientFormatForPath(pathname: string): ApiFormat | undefined {
  if (pathname === '/v1/messages' || pathname === '/v1/messages/count_tokens') return 'anthropic_messages';
  if (pathname === '/v1/chat/completions') return 'openai_chat';
  if (pathname === '/v1/responses') return 'openai_responses';
  return undefined;
}
