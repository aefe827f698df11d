// Node: the one error type every store adapter throws. The HTTP layer maps `code` to a status
// (bad-request → 400, not-found → 404, conflict → 409); anything else is a 500.
export type StoreErrorCode = 'conflict' | 'not-found' | 'bad-request';

export class StoreError extends Error {
  override readonly name = 'StoreError';

  constructor(
    readonly code: StoreErrorCode,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

export const isStoreError = (err: unknown, code?: StoreErrorCode): err is StoreError =>
  err instanceof StoreError && (code === undefined || err.code === code);
