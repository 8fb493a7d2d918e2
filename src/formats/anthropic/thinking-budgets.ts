/** Anthropic's smallest accepted `thinking.budget_tokens`. */
export const MIN_THINKING_BUDGET = 1024;

/**
 * A reasoning effort → the thinking budget that asks for about as much thinking, for models that
 * take a budget (Claude 4.5 and earlier, other servers' Anthropic-format endpoints). `none` (and
 * absent) means no thinking.
 */
export const THINKING_BUDGETS: Readonly<Record<string, number>> = {
  minimal: 1024,
  low: 1024,
  medium: 4096,
  high: 16_384,
  xhigh: 32_768,
};
