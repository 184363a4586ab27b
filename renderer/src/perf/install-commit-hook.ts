// Imported first by main.tsx, so that it is evaluated before react-dom/client, which
// reads the hook when it loads. Only benchmark pages (?perf=1) get one; commits count
// into window.__foxtrotPerf once the runtime has made it.
import { installCommitHook } from './commit-hook';

if (new URLSearchParams(window.location.search).get('perf') === '1') {
  installCommitHook(window as unknown as Record<string, unknown>, () => window.__foxtrotPerf?.recordCommit());
}
