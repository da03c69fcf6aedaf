import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import type { Bridge } from '../bridge/bridge';
import { electronBridge } from '../bridge/electron';
import { webSocketBridge } from '../bridge/websocket';
import { App } from './App';
import './styles.css';

function pickBridge(): Bridge {
  if (window.headUnit) return electronBridge(window.headUnit);
  const url = new URL('/bridge', window.location.href);
  url.protocol = url.protocol === 'https:' ? 'wss:' : 'ws:';
  return webSocketBridge(url.href);
}

async function start(): Promise<void> {
  const bridge = pickBridge();
  const view = await bridge.getView();
  createRoot(document.getElementById('root')!).render(
    <StrictMode>
      <App bridge={bridge} initial={view} />
    </StrictMode>,
  );
  // Marks when the display first accepts input, for the start-up benchmark.
  requestAnimationFrame(() => performance.mark('input-ready'));
}

void start();
