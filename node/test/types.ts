// Type-level drift checks: the public .d.ts against what napi generates from the Rust
// binding (native/index.d.ts). Compiled by `tsc --strict --noEmit` in the test command.

import type * as pub from 'kaleyra-verify';
import type * as native from './node_modules/kaleyra-verify/native/index.js';

type Equal<A, B> = (<T>() => T extends A ? 1 : 2) extends (<T>() => T extends B ? 1 : 2)
  ? true
  : false;
const assertTrue = <T extends true>(): T | undefined => undefined;

// Options: the public ones are napi's plus the JS-only logger.
assertTrue<Equal<Omit<pub.ClientOptions, 'logger'>, native.ClientOptions>>();
assertTrue<Equal<pub.GenerateRequest, native.GenerateInput>>();
assertTrue<Equal<pub.Generated, native.Generated>>();
assertTrue<Equal<pub.Validated, native.Validated>>();
// Methods: same parameters as the native ones (minus the abort token), same results.
assertTrue<Equal<Parameters<pub.Client['generate']>[0], Parameters<native.NativeClient['generate']>[0]>>();
assertTrue<Equal<ReturnType<pub.Client['generate']>, ReturnType<native.NativeClient['generate']>>>();
assertTrue<Equal<ReturnType<pub.Client['validate']>, ReturnType<native.NativeClient['validate']>>>();
assertTrue<Equal<Awaited<ReturnType<pub.Client['check']>> extends string ? true : false, true>>();
