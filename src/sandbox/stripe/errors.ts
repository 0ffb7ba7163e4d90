/** Stripe's error body, `{error: {type, message, code?, param?}}`, with its status. */
export type StripeErrorType =
  | 'invalid_request_error'
  | 'idempotency_error'
  | 'api_error'
  | 'card_error'
  | 'rate_limit_error';

export class StripeHttpError extends Error {
  constructor(
    readonly status: number,
    readonly type: StripeErrorType,
    message: string,
    readonly code?: string,
    readonly param?: string,
  ) {
    super(message);
  }

  /** The JSON body Stripe would send. */
  body(): { error: Record<string, string> } {
    const error: Record<string, string> = { type: this.type, message: this.message };
    if (this.code) error['code'] = this.code;
    if (this.param) error['param'] = this.param;
    return { error };
  }
}

/** A required parameter is absent. */
export function missingParam(param: string): StripeHttpError {
  return new StripeHttpError(
    400,
    'invalid_request_error',
    `Required parameter missing: ${param}.`,
    'parameter_missing',
    param,
  );
}

/** A parameter has a value Stripe would refuse. */
export function invalidParam(param: string, why: string): StripeHttpError {
  return new StripeHttpError(
    400,
    'invalid_request_error',
    `Invalid ${param}: ${why}`,
    'parameter_invalid',
    param,
  );
}

/** No object of that kind with that id on the account. */
export function noSuch(kind: string, id: string): StripeHttpError {
  return new StripeHttpError(
    404,
    'invalid_request_error',
    `No such ${kind}: '${id}'`,
    'resource_missing',
    'id',
  );
}
