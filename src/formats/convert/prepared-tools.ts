import type { ChatTool } from '../openai-chat/types.js';
import type { PreparedTools } from './types.js';

/**
 * What a request converted with ConvertOptions.preparedTools takes from them: the mapping, which
 * must be of the converter's own class (`kind`), and the tools value for the upstream body: the
 * client's `tools`, which is then the proxy's stand-in (json-lift.ts), typed as what the proxy
 * puts in its place; undefined when no tool goes upstream.
 */
export function usePreparedTools<T>(
  prepared: PreparedTools,
  kind: abstract new (...args: never[]) => T,
  clientTools: unknown,
): { mapping: T; tools: ChatTool[] | undefined } {
  const mapping = prepared.mapping;
  if (!(mapping instanceof kind)) throw new TypeError('preparedTools were not made by this converter');
  return { mapping, tools: prepared.json === undefined ? undefined : (clientTools as ChatTool[]) };
}
