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
 * Engines whose component just unmounted, keyed by their options object. React's StrictMode
 * (development) unmounts and remounts every effect once; the remount takes its engine back
 * instead of starting a second call — which matters because the first would already have
 * stopped the pre-call check's tracks it owns.
 */
const disposing = new WeakMap<
  CallEngineOptions,
  { engine: CallEngine; timer: ReturnType<typeof setTimeout> }
>();

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
  // The engine is an external resource with a lifetime: it lives in a tiny store the effect
  // fills, and components read it through useSyncExternalStore.
  const [holder] = useState(createHolder);
  const [deps] = useState(() => config.deps);
  useEffect(() => {
    if (!options) return;
    const parked = disposing.get(options);
    let engine: CallEngine;
    if (parked) {
      clearTimeout(parked.timer);
      disposing.delete(options);
      engine = parked.engine;
    } else {
      engine = new CallEngine(options, deps);
      if (autoJoin) void engine.join();
    }
    holder.set(engine);
    return () => {
      holder.set(null);
      const timer = setTimeout(() => {
        disposing.delete(options);
        engine.leave();
      }, 0);
      disposing.set(options, { engine, timer });
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
