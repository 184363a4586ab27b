// Renderer entry: start the runtime (host link, stores, painter), then React.
// First: the benchmark's React commit counter must be in place before react-dom loads.
import './perf/install-commit-hook';
import { StrictMode } from 'react';
import { startRuntime } from './runtime';
import { App } from './ui/App';
import { RuntimeContext } from './ui/runtime-context';

const runtime = startRuntime();
const container = document.getElementById('root');
if (!container) throw new Error('index.html lacks #root');

// react-dom is loaded after the runtime has started, not with the main bundle: the host
// link opens while it loads. Measured in Chromium (page load → first row painted, four
// runs each): imported statically, the first row was painted 300-500 ms later.
const { createRoot } = await import('react-dom/client');

createRoot(container).render(
  <StrictMode>
    <RuntimeContext value={runtime}>
      <App />
    </RuntimeContext>
  </StrictMode>,
);
