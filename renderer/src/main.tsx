// Renderer entry: start the runtime (host link, stores, painter), then React.
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { startRuntime } from './runtime';
import { App } from './ui/App';
import { RuntimeContext } from './ui/runtime-context';

const runtime = startRuntime();
const container = document.getElementById('root');
if (!container) throw new Error('index.html lacks #root');

createRoot(container).render(
  <StrictMode>
    <RuntimeContext value={runtime}>
      <App />
    </RuntimeContext>
  </StrictMode>,
);
