// The public types of `kaleyra-verify`. Plain data types are napi's, generated from the
// Rust binding (native/index.d.ts); the error classes and unions are generated from
// verify-core's tables (generated.d.ts); both are checked for drift by scripts/generate.js.

import type * as native from './native/index';
import type { CheckOutcome, ErrorKindName } from './generated';

export * from './generated';

/** How to reach the service. Every field is optional; numbers are milliseconds. */
export interface ClientOptions extends native.ClientOptions {
  /** Receives one line per request event (never the key). `NODE_DEBUG=kaleyra-verify` also shows them. */
  logger?: (line: string) => void;
}

/** Who to send a code to: `mobile` (E.164), and `email`, `flowId`, `otp` when needed. */
export type GenerateRequest = native.GenerateInput;
/** A verification that was started: pass `verifyId` to `validate` or `check`. */
export type Generated = native.Generated;
/** A code that was accepted. */
export type Validated = native.Validated;

/** Per-call options. */
export interface CallOptions {
  /** Cancels the call: it rejects with the signal's reason, and the request is dropped. */
  signal?: AbortSignal;
}

/**
 * A client of the Verify API. Keep one for the life of the process; an idle client keeps
 * nothing alive.
 */
export declare class Client {
  constructor(options?: ClientOptions);
  /** A client from KALEYRA_SID, KALEYRA_API_KEY, KALEYRA_REGION, KALEYRA_BASE_URL for what `options` leaves unset. */
  static fromEnv(options?: ClientOptions): Client;
  /** The options this client was made with, the API key redacted. */
  readonly options: Readonly<Omit<ClientOptions, 'logger'>>;
  /** Sends a code. */
  generate(request: GenerateRequest, options?: CallOptions): Promise<Generated>;
  /** Checks a code; rejects with `OtpRejectedError` when it is wrong, expired, used or out of attempts. */
  validate(verifyId: string, otp: string, options?: CallOptions): Promise<Validated>;
  /** Checks a code and answers its outcome; only failures of the system reject. */
  check(verifyId: string, otp: string, options?: CallOptions): Promise<CheckOutcome>;
  /** Releases the connection pool; later calls reject with `InvalidConfigError`. */
  close(): void;
  toJSON(): { options: Readonly<Omit<ClientOptions, 'logger'>> };
}

/** Every error of this package; narrow by class (`instanceof RateLimitedError`) or by `kind`. */
export declare class VerifyError extends Error {
  constructor(view?: Record<string, unknown>);
  readonly kind: ErrorKindName;
  /** The code as the service sent it, or null. */
  readonly code: string | null;
  /** The envelope's `type`. */
  readonly errorType: string | null;
  /** The request parameter it names. */
  readonly parameter: string | null;
  /** The envelope's `message`, as sent. */
  readonly serviceMessage: string | null;
  /** The service's reference for support. */
  readonly reference: string | null;
  /** The HTTP status, when an answer was read. */
  readonly status: number | null;
  /** Milliseconds the service asked to wait (Retry-After). */
  readonly retryAfter: number | null;
  /** The first bytes of a body that was not the service's envelope. */
  readonly bodySnippet: string | null;
  /** For `outcome_unknown`: the kind of what happened. */
  readonly causeKind: ErrorKindName | null;
  toJSON(): Record<string, unknown>;
}

/** verify-core's error kinds, in number order. */
export declare const ERROR_KINDS: ReadonlyArray<Readonly<native.KindInfo>>;
/** Every outcome of `check`. */
export declare const CHECK_OUTCOMES: ReadonlyArray<Readonly<native.OutcomeInfo>>;
/** verify-core's code table. */
export declare const CODES: ReadonlyArray<Readonly<Record<string, unknown>>>;
