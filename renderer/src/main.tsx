// Renderer entry: start the runtime (host link, stores, painter), then React.
import { StrictMode } from 'react';
import { startRuntime } from './runtime';
import { App } from './ui/App';
import { RuntimeContext } from './ui/runtime-context';

const runtime = startRuntime();
const container = document.getElementById('root');
if (!container) throw new Error('index.html lacks #root');

// React's <Profiler> only reports in the profiling build: load that one for
// benchmark runs (?perf=1) and the plain production build otherwise.
const { createRoot } = runtime.perf ? await import('react-dom/profiling') : await import('react-dom/client');

createRoot(container).render(
  <StrictMode>
    <RuntimeContext value={runtime}>
      <App />
    </RuntimeContext>
  </StrictMode>,
);
