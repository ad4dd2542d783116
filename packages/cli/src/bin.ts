#!/usr/bin/env node
import { main, UsageError } from './main.js';

try {
  process.exitCode = await main(process.argv.slice(2));
} catch (err) {
  // parseArgs reports unknown or malformed options with a TypeError whose code names the problem.
  const usage = err instanceof UsageError || (err as { code?: string }).code?.startsWith('ERR_PARSE_ARGS');
  console.error(
    `acme: ${(err as Error).message}${usage ? '\nrun "acme help" for the commands and options' : ''}`,
  );
  process.exitCode = usage ? 2 : 1;
}
