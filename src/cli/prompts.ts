import { UserError } from '../config/errors.js';

/** Prompts only when a person can answer: both stdin and stdout are terminals. */
export const canPrompt = (): boolean =>
  process.stdin.isTTY === true && process.stdout.isTTY === true && !process.env.CI;

/** A missing required value: asked for on a TTY, a clear error (never a hang) otherwise. */
export function missing(flag: string, hint: string): UserError {
  return new UserError(`missing ${flag}`, `${hint} (run in a terminal to be asked interactively)`, true);
}

// @inquirer/prompts is loaded on first use only, so commands that never prompt start faster.
export async function askText(
  message: string,
  options: { default?: string | undefined; required?: boolean } = {},
): Promise<string> {
  const { input } = await import('@inquirer/prompts');
  return input({
    message,
    ...(options.default !== undefined ? { default: options.default } : {}),
    required: options.required ?? false,
  });
}

export async function askSecret(message: string): Promise<string> {
  const { password } = await import('@inquirer/prompts');
  return password({ message, mask: '*' });
}

export async function askChoice<T extends string>(
  message: string,
  choices: ReadonlyArray<{ value: T; name: string; description?: string }>,
  current?: T,
): Promise<T> {
  const { select } = await import('@inquirer/prompts');
  return select<T>({
    message,
    choices: choices.map((c) => ({ ...c })),
    ...(current !== undefined ? { default: current } : {}),
  });
}

export async function askConfirm(message: string, defaultValue = false): Promise<boolean> {
  const { confirm } = await import('@inquirer/prompts');
  return confirm({ message, default: defaultValue });
}
