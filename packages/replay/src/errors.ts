/** Errors a table's waiting calls end with (Reverb: DeadlineExceededError, CancelledError). */

/** An insert or sample waited `timeoutMs` and the rate limiter still refused it. */
export class RateLimiterTimeoutError extends Error {
  override readonly name = 'RateLimiterTimeoutError';
  constructor(
    message: string,
    readonly table: string,
    readonly operation: 'insert' | 'sample',
    readonly timeoutMs: number,
  ) {
    super(message);
  }
}

/** A waiting call ended because the table was closed or the caller aborted it. */
export class TableCancelledError extends Error {
  override readonly name = 'TableCancelledError';
}
