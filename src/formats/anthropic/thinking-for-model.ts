import { type ClaudeGeneration, claudeGeneration, isClaudeModel } from './claude-generations.js';
import { MIN_THINKING_BUDGET, THINKING_BUDGETS } from './thinking-budgets.js';

// A client writes its thinking settings for the model it asks for: Claude Code sends a thinking
// budget (`{type: "enabled", budget_tokens}`) for Claude 4.5 and earlier, and adaptive thinking
// with `output_config.effort` for later models and for names it does not know. When a profile maps
// the name to a Claude model of another generation, the settings no longer fit: Opus 4.7 and later
// refuse a budget (and sampling parameters), Claude 4.5 and earlier know no adaptive thinking.
// These functions say what to change so the target takes the request. Pure; no I/O.

type Effort = 'low' | 'medium' | 'high' | 'xhigh' | 'max';

/** A budget → the effort that asks for about as much thinking (the inverse of THINKING_BUDGETS). */
function effortForBudget(budget: number): Effort {
  if (budget <= 1024) return 'low';
  if (budget <= 4096) return 'medium';
  if (budget <= 16_384) return 'high';
  return 'xhigh';
}

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/**
 * Whether a request for `requested` may need thinkingForModel's changes when sent to `target`,
 * decided from the names alone (cheap: before any parse). Only Claude targets of one mode
 * (budget-only or adaptive-only) are changed: Claude 4.6 takes both, and servers that are not
 * Claude keep what the client wrote.
 */
export function mayNeedThinkingChange(requested: string, target: string): boolean {
  if (requested === target || !isClaudeModel(target)) return false;
  const to = claudeGeneration(target);
  if (to === 'both') return false;
  return !isClaudeModel(requested) || claudeGeneration(requested) !== to;
}

/**
 * The top-level fields to set (a value) or remove (undefined) in an Anthropic request so that
 * `target`'s generation takes its thinking settings; undefined when nothing has to change.
 */
export function thinkingForModel(body: Record<string, unknown>, target: string): Record<string, unknown> | undefined {
  if (!isClaudeModel(target)) return undefined;
  const generation: ClaudeGeneration = claudeGeneration(target);
  const thinking = isObject(body.thinking) ? body.thinking : undefined;
  const output = isObject(body.output_config) ? body.output_config : undefined;
  const changes: Record<string, unknown> = {};
  if (generation === 'adaptive') {
    if (thinking?.type === 'enabled') {
      const budget = typeof thinking.budget_tokens === 'number' ? thinking.budget_tokens : MIN_THINKING_BUDGET;
      // the thinking text is asked for: a client that set a budget shows it (4.7+ leave it out by
      // default); an effort the client set itself stays
      changes.thinking = { type: 'adaptive', display: 'summarized' };
      changes.output_config = { ...output, effort: output?.effort ?? effortForBudget(budget) };
    }
    // "`temperature` is deprecated for this model": Opus 4.7 and later refuse sampling parameters
    for (const key of ['temperature', 'top_p', 'top_k']) if (body[key] !== undefined) changes[key] = undefined;
  } else if (generation === 'budget') {
    // Claude 4.5 and earlier: no effort (with thinking or without), a budget instead of adaptive thinking
    if (output?.effort !== undefined) {
      const { effort: _dropped, ...rest } = output;
      changes.output_config = Object.keys(rest).length > 0 ? rest : undefined;
    }
    if (thinking?.type === 'adaptive') {
      const effort = typeof output?.effort === 'string' ? (output.effort as Effort) : 'high';
      // `max` as the largest budget; an effort this table does not know as Claude's default, high
      const wanted = THINKING_BUDGETS[effort === 'max' ? 'xhigh' : effort] ?? THINKING_BUDGETS.high!;
      // below max_tokens (Anthropic's rule; count_tokens has none); no room for the smallest: no
      // thinking, and no context edits that clear thinking
      const budget = typeof body.max_tokens === 'number' ? Math.min(wanted, body.max_tokens - 1) : wanted;
      if (budget >= MIN_THINKING_BUDGET) changes.thinking = { type: 'enabled', budget_tokens: budget };
      else {
        changes.thinking = undefined;
        if (body.context_management !== undefined) changes.context_management = undefined;
      }
    }
  }
  return Object.keys(changes).length > 0 ? changes : undefined;
}
