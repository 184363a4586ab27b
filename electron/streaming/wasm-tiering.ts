// WebAssembly in the streaming process stays on V8's baseline compiler (Liftoff).
// The only WebAssembly here is llhttp, the HTTP parser of undici (Node's fetch, which
// ccxt's REST calls use). After a few requests V8 recompiles its hot functions with
// the optimizing compiler on a background thread, and that compile took 25-35 MB of
// malloc'ed memory for a moment (measured with 20 requests: peak 30 MB, 1.6 MB on
// the baseline compiler, the same time to answer). glibc kept much of it: an idle
// streaming process held ~10 MB more RSS once its market list had been fetched. The
// process makes a few REST requests a minute, whose parsing is a sliver of their JSON
// and ccxt's work, so the optimized llhttp buys nothing here. Set at run time, not as
// a Node option, so it holds in an Electron utility process too (whose V8 is set up
// before Node reads execArgv).
import { setFlagsFromString } from 'node:v8';

/** The V8 flag: compile WebAssembly with Liftoff only, never tier up. */
export const WASM_BASELINE_ONLY_FLAG = '--liftoff-only';

/** Applies the flag; call before the first fetch (undici compiles llhttp at its first request). */
export function keepWasmOnBaselineCompiler(setFlags: (flags: string) => void = setFlagsFromString): string {
  setFlags(WASM_BASELINE_ONLY_FLAG);
  return WASM_BASELINE_ONLY_FLAG;
}
