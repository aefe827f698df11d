// DOM + React: one CallEngine per `options` object, created on mount and left on unmount.
import { useEffect, useState, useSyncExternalStore } from 'react';
import { CallEngine, type CallEngineDeps } from '../call/CallEngine.js';
import type { CallEngineApi, CallEngineOptions, CallSnapshot } from '../call/types.js';

export interface UseCallEngineConfig {
  /** Join as soon as the engine exists (default true). `join()` is idempotent either way. */
  autoJoin?: boolean;
  /** For tests and special hosts. Read when an engine is created. */
  deps?: Partial<CallEngineDeps>;
}

/**
 * Creates a CallEngine for `options` (null: none) and leaves the call when the component
 * unmounts or `options` changes. Keep `options` referentially stable (state or memo): a new
 * object means a new call. Returns null until the engine exists.
 */
export function useCallEngine(
  options: CallEngineOptions | null,
  config: UseCallEngineConfig = {},
): CallEngine | null {
  const autoJoin = config.autoJoin ?? true;
  // The engine is an external resource with a lifetime: it lives in a tiny store that the
  // effect fills, so StrictMode's mount → unmount → mount leaves exactly one live engine.
  const [holder] = useState(createHolder);
  const [deps] = useState(() => config.deps);
  useEffect(() => {
    if (!options) return;
    const engine = new CallEngine(options, deps);
    holder.set(engine);
    if (autoJoin) void engine.join();
    return () => {
      engine.leave();
      holder.set(null);
    };
  }, [options, autoJoin, holder, deps]);
  return useSyncExternalStore(holder.subscribe, holder.get, holder.get);
}

function createHolder() {
  let value: CallEngine | null = null;
  const listeners = new Set<() => void>();
  return {
    get: () => value,
    set(v: CallEngine | null) {
      value = v;
      for (const l of [...listeners]) l();
    },
    subscribe(l: () => void) {
      listeners.add(l);
      return () => {
        listeners.delete(l);
      };
    },
  };
}

const noSubscribe = () => () => {};
const nothing = () => null;

/** The engine's current snapshot (null without an engine); re-renders on every change. */
export function useCallSnapshot(engine: CallEngineApi | null): CallSnapshot | null {
  return useSyncExternalStore(
    engine ? engine.subscribe : noSubscribe,
    engine ? engine.getSnapshot : nothing,
    engine ? engine.getSnapshot : nothing,
  );
}
