// The types of `kaleyra-verify/testing`: the emulator in-process, for your tests.

import type { Delivery } from './native/index';

export type { Delivery };

/** A fault for the next requests, as the emulator's `/_emulator/faults` route takes it. */
export type Fault =
  | { mode: 'latency'; ms: number; count?: number }
  | { mode: 'status'; status: number; count?: number }
  | { mode: 'rate_limit'; retry_after?: number; count?: number }
  | { mode: 'close_before' | 'close_after' | 'malformed' | 'truncated'; count?: number };

/** The Verify API emulated inside this process, on a free loopback port. */
export declare class Emulator {
  private constructor();
  /** Starts an emulator with the default account and flow. */
  static start(): Emulator;
  readonly baseUrl: string;
  readonly sid: string;
  readonly apiKey: string;
  /** `{ sid, apiKey, baseUrl }`, to spread into a `Client`'s options. */
  clientOptions(): { sid: string; apiKey: string; baseUrl: string };
  /** Every code "sent", oldest first. */
  outbox(): Delivery[];
  /** The last code sent for `verifyId`, or null. */
  lastCode(verifyId: string): string | null;
  /** Moves its clock forward (expiry, rate windows). */
  advanceClock(ms: number): void;
  /** Fails the next requests. */
  inject(fault: Fault | string): void;
  /** Drops the faults still queued. */
  clearFaults(): void;
  /** Its counters. */
  stats(): {
    connections_accepted: number;
    otps_generated: number;
    deliveries: number;
    verifications_live: number;
    requests: Record<string, Record<string, number>>;
  };
  /** Stops serving (idempotent). */
  stop(): void;
}
