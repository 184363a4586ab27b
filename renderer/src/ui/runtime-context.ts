// Gives components the runtime (stores, API, row registration) without props drilling.
import { createContext, useContext } from 'react';
import { useStore } from 'zustand';
import type { Runtime } from '../runtime';
import type { AppActions, AppState } from '../state/app-store';

export const RuntimeContext = createContext<Runtime | null>(null);

export function useRuntime(): Runtime {
  const runtime = useContext(RuntimeContext);
  if (!runtime) throw new Error('useRuntime outside RuntimeContext');
  return runtime;
}

/** Subscribes a component to a slice of the app store. */
export function useApp<T>(selector: (state: AppState & AppActions) => T): T {
  return useStore(useRuntime().app, selector);
}
