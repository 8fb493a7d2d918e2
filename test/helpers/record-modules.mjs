// Loaded with `node --import` by tests: records every ES module the process resolves (one URL per
// line) in the file named by $SWIXTER_TEST_MODULES, so a test can check what a command loads.
import { register } from 'node:module';

register(
  `data:text/javascript,${encodeURIComponent(`
import { appendFileSync } from 'node:fs';
export async function resolve(specifier, context, next) {
  const result = await next(specifier, context);
  if (process.env.SWIXTER_TEST_MODULES) appendFileSync(process.env.SWIXTER_TEST_MODULES, result.url + '\\n');
  return result;
}`)}`,
);
