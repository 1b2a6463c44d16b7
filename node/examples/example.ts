// Every method of the package, typed: `tsc --strict --noEmit` runs over this file in the
// test command (scripts/test-node.sh), against the package installed as a user installs it.

import {
  Client,
  VerifyError,
  OtpRejectedError,
  RateLimitedError,
  OutcomeUnknownError,
  ValidationError,
  InvalidConfigError,
  CHECK_OUTCOMES,
  ERROR_KINDS,
  type CheckOutcome,
  type ClientOptions,
  type ErrorKindName,
  type Generated,
  type Validated,
} from 'kaleyra-verify';
import { Emulator, type Delivery } from 'kaleyra-verify/testing';

async function main(): Promise<void> {
  const emulator: Emulator = Emulator.start();
  const options: ClientOptions = {
    ...emulator.clientOptions(),
    timeoutMs: 5000,
    maxAttempts: 3,
    logger: (line: string) => void line,
  };
  const client = new Client(options);
  const fromEnv: Client | undefined = process.env.KALEYRA_SID ? Client.fromEnv() : undefined;

  const sent: Generated = await client.generate(
    { mobile: '+12025550123', email: 'user@example.com' },
    { signal: AbortSignal.timeout(5000) },
  );
  const code: string | null = emulator.lastCode(sent.verifyId);
  const outbox: Delivery[] = emulator.outbox();

  const outcome: CheckOutcome = await client.check(sent.verifyId, code ?? '');
  switch (outcome) {
    case 'verified':
    case 'wrong_code':
    case 'expired':
    case 'already_verified':
    case 'too_many_attempts':
    case 'not_found':
      break;
    default: {
      const never: never = outcome; // every outcome is handled
      throw new Error(never);
    }
  }

  try {
    const ok: Validated = await client.validate(sent.verifyId, code ?? '');
    const lost: boolean = ok.afterLostAttempt;
    void lost;
  } catch (e) {
    if (e instanceof OtpRejectedError) {
      const k: 'otp_rejected' = e.kind; // narrowed by class
      const c: string | null = e.code;
      void k, c;
    } else if (e instanceof RateLimitedError) {
      const wait: number | null = e.retryAfter;
      void wait;
    } else if (e instanceof OutcomeUnknownError) {
      const cause: ErrorKindName | null = e.causeKind;
      void cause;
    } else if (e instanceof ValidationError || e instanceof InvalidConfigError) {
      const p: string | null = e.parameter;
      void p;
    } else if (e instanceof VerifyError) {
      const fields: [ErrorKindName, number | null, string | null] = [e.kind, e.status, e.reference];
      void fields;
    } else {
      throw e;
    }
  }

  emulator.inject({ mode: 'status', status: 503, count: 2 });
  emulator.inject('{"mode": "latency", "ms": 10}');
  emulator.advanceClock(60_000);
  emulator.clearFaults();
  const generated: number = emulator.stats().otps_generated;
  const names: string[] = [...CHECK_OUTCOMES.map((o) => o.name), ...ERROR_KINDS.map((k) => k.className)];
  void outbox, generated, names, fromEnv;
  client.close();
  emulator.stop();
}

void main();
