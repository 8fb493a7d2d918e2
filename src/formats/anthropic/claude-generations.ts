/**
 * What an Anthropic-format model takes, by its name. Claude Opus 4.7 and every later model (Opus
 * 4.8, the Claude 5 family) think only in adaptive mode (`thinking: {type: "adaptive"}` with
 * `output_config.effort`) and answer 400 to a thinking budget (`"thinking.type.enabled" is not
 * supported for this model`) and to `temperature`, `top_p` and `top_k` ("`temperature` is
 * deprecated for this model"); they also leave thinking text out unless asked for
 * (`display: "summarized"`). Opus and Sonnet 4.6 take both modes (the budget deprecated); Claude
 * 4.5 and earlier know only the budget. Names that are not Claude's (DeepSeek's, Kimi's, GLM's
 * Anthropic-format endpoints) keep the budget those servers implement.
 */
export type ClaudeGeneration = 'budget' | 'both' | 'adaptive';

/** claude-2…, claude-instant…, claude-3…, claude-3-5-sonnet…, Claude 4.0/4.1/4.5 (also dated: claude-sonnet-4-20250514). */
const BUDGET_ONLY = /^claude-(?:[0-3](?:[-.]|$)|instant|(?:opus|sonnet|haiku)-4(?:$|[-.@](?:[015](?:$|[-.@])|\d{8})))/;
const BOTH = /^claude-(?:opus|sonnet|haiku)-4[-.]6(?:$|[-.@])/;

/** The model's own name: "anthropic/claude-opus-4.7" (a gateway's id), "us.anthropic.claude-…" (a Bedrock profile). */
const ownName = (model: string): string => model.toLowerCase().replace(/^.*[/.](?=claude-)/, '');

/** Whether the name is a Claude model's (also under a gateway's or Bedrock's prefix). */
export function isClaudeModel(model: string): boolean {
  return ownName(model).startsWith('claude-');
}

export function claudeGeneration(model: string): ClaudeGeneration {
  const name = ownName(model);
  if (!name.startsWith('claude-') || BUDGET_ONLY.test(name)) return 'budget';
  return BOTH.test(name) ? 'both' : 'adaptive';
}
