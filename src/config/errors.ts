/** A config file that cannot be read or does not match the schema. The file is never touched. */
export class ConfigError extends Error {
  override readonly name = 'ConfigError';
  constructor(
    readonly file: string,
    readonly details: string,
  ) {
    super(
      `invalid config file ${file}:\n${details}\nFix the file (it was left unchanged), or move it away to start fresh.`,
    );
  }
}

/**
 * A command that cannot do what was asked (unknown profile, duplicate name, bad value). The
 * message says what is wrong; `hint` says what to do. Exit code 1; `usage` errors exit 2.
 */
export class UserError extends Error {
  override readonly name = 'UserError';
  constructor(
    message: string,
    readonly hint?: string,
    readonly usage = false,
  ) {
    super(message);
  }
}
