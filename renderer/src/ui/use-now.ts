// A clock for components that show running durations (re-renders only them).
import { useEffect, useState } from 'react';
import { now } from '../../../shared/clock';

export function useNow(intervalMs: number, active = true): number {
  const [time, setTime] = useState(now);
  useEffect(() => {
    if (!active) return;
    const timer = window.setInterval(() => setTime(now()), intervalMs);
    return () => window.clearInterval(timer);
  }, [intervalMs, active]);
  return time;
}
