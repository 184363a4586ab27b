// The Electron preload: exposes FoxtrotApi to the sandboxed, context-isolated page.
// It never exposes ipcRenderer itself nor passes its event objects to the page;
// main validates every message it receives (and checks the sending frame).
import { contextBridge, ipcRenderer, type IpcRendererEvent } from 'electron';
import { RENDERER_CHANNEL, type FoxtrotApi, type FromRenderer, type ToRenderer } from '../../shared/contract/renderer-api';

const api: FoxtrotApi = {
  host: 'electron',
  onMessage(listener: (message: ToRenderer) => void): () => void {
    const wrapped = (_event: IpcRendererEvent, message: ToRenderer): void => listener(message);
    ipcRenderer.on(RENDERER_CHANNEL, wrapped);
    return () => {
      ipcRenderer.removeListener(RENDERER_CHANNEL, wrapped);
    };
  },
  send(message: FromRenderer): void {
    ipcRenderer.send(RENDERER_CHANNEL, message);
  },
};

contextBridge.exposeInMainWorld('foxtrot', api);
