/**
 * Acme's `make_default_logger`: a TerminalLogger (plus a CSVLogger when `saveData`) behind a
 * Dispatcher, a NoneFilter, optionally an AsyncLogger, and a TimeFilter of `timeDelta` seconds.
 *
 * Unlike Acme, `saveData` defaults to false: a library that silently writes into ~/acme on every
 * loop surprises tests and browsers alike. Pass `saveData: true` for Acme's behaviour.
 */
import { AsyncLogger } from './async.js';
import { CSVLogger } from './csv.js';
import { Dispatcher } from './dispatcher.js';
import type { Logger, LoggingData } from './logger.js';
import { NoneFilter } from './none_filter.js';
import { TerminalLogger } from './terminal.js';
import { TimeFilter } from './time_filter.js';

export interface DefaultLoggerOptions {
  saveData?: boolean;
  /** Seconds between written records (default 1). */
  timeDelta?: number;
  asynchronous?: boolean;
  printFn?: (line: string) => void;
  serializeFn?: (values: LoggingData) => LoggingData;
  /** Accepted for Acme compatibility; like Acme's default logger, it is not used. */
  stepsKey?: string;
  /** CSV root directory when `saveData` (default '~/acme'). */
  directory?: string;
}

export function makeDefaultLogger(label: string, options: DefaultLoggerOptions = {}): Logger {
  const {
    saveData = false,
    timeDelta = 1.0,
    asynchronous = false,
    printFn,
    serializeFn,
    directory,
  } = options;
  const loggers: Logger[] = [new TerminalLogger({ label, ...(printFn ? { printFn } : {}) })];
  if (saveData) loggers.push(new CSVLogger({ label, ...(directory ? { directory } : {}) }));
  let logger: Logger = new Dispatcher(loggers, serializeFn);
  logger = new NoneFilter(logger);
  if (asynchronous) logger = new AsyncLogger(logger);
  return new TimeFilter(logger, timeDelta);
}
