import type { AnthropicRequest } from '../../anthropic/types.js';
import type { ProviderQuirks } from '../types.js';

type Effort = NonNullable<NonNullable<AnthropicRequest['output_config']>['effort']>;

export interface ReasoningParams {
  reasoning_effort?: string;
  /** OpenRouter's unified reasoning object. */
  reasoning?: { effort: string } | { max_tokens: number };
}

/**
 * Buckets for `thinking.budget_tokens` (case 31). Chosen so Claude Code's historical budgets land
 * where users expect: "think" 4000 → low, "think hard" 10000 → medium, "ultrathink" 31999 → high.
 */
export function effortForBudget(budget: number): 'low' | 'medium' | 'high' {
  if (budget <= 4096) return 'low';
  if (budget <= 16384) return 'medium';
  return 'high';
}

/**
 * Anthropic `thinking` (+ `output_config.effort`) → the reasoning knob of the provider's dialect
 * (cases 31–33). OpenRouter takes a token budget as it is. The others have one effort knob: an
 * explicit effort is that knob stated directly, so it wins over the bucket of a `budget_tokens`;
 * adaptive thinking without an effort means Anthropic's default effort, `high`. Only values the
 * target accepts are emitted.
 */
export function mapReasoning(
  thinking: AnthropicRequest['thinking'],
  outputEffort: Effort | undefined,
  dialect: ProviderQuirks['reasoning'],
): ReasoningParams {
  if (dialect === undefined || dialect === 'none') return {};
  if (thinking === undefined || thinking.type === 'disabled') return {};

  if (thinking.type === 'enabled') {
    const budget = thinking.budget_tokens;
    if (dialect === 'openrouter') return { reasoning: { max_tokens: budget } };
    if (outputEffort === undefined) return { reasoning_effort: dialectEffort(effortForBudget(budget), dialect) };
  }
  const effort = dialectEffort(outputEffort ?? 'high', dialect);
  return dialect === 'openrouter' ? { reasoning: { effort } } : { reasoning_effort: effort };
}

/** OpenAI/OpenRouter: low|medium|high. DeepSeek: low|high|max (medium/xhigh → high, protocol-notes §2.5). */
function dialectEffort(effort: Effort, dialect: 'openai' | 'deepseek' | 'openrouter'): string {
  if (dialect === 'deepseek') {
    if (effort === 'low') return 'low';
    return effort === 'max' ? 'max' : 'high';
  }
  return effort === 'xhigh' || effort === 'max' ? 'high' : effort;
}
