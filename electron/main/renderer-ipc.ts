// Carries FoxtrotApi between main and the app's windows over one IPC channel.
// Only frames loaded from our own app:// origin may talk to the engine.
import { ipcMain, type IpcMainEvent, type WebContents } from 'electron';
import { RENDERER_CHANNEL, type ToRenderer } from '../../shared/contract/renderer-api';
import type { RendererClient, RendererConnectionHandlers } from '../engine/renderer-link/renderer-link';
import { ipcSenderAllowed } from './security-policy';

export class RendererIpc {
  private readonly attached = new Set<number>();

  constructor(private readonly handlers: RendererConnectionHandlers) {
    ipcMain.on(RENDERER_CHANNEL, this.onMessage);
  }

  dispose(): void {
    ipcMain.removeListener(RENDERER_CHANNEL, this.onMessage);
  }

  /** Registers a window's contents; it is attached to the engine when its page has loaded. */
  track(contents: WebContents): void {
    const id = `wc-${contents.id}`;
    const attach = (): void => {
      if (this.attached.has(contents.id)) this.handlers.detach(id);
      this.attached.add(contents.id);
      const client: RendererClient = {
        id,
        send: (message: ToRenderer) => {
          if (!contents.isDestroyed()) contents.send(RENDERER_CHANNEL, message);
        },
      };
      this.handlers.attach(client);
    };
    contents.on('did-finish-load', attach);
    contents.once('destroyed', () => {
      this.attached.delete(contents.id);
      this.handlers.detach(id);
    });
  }

  private readonly onMessage = (event: IpcMainEvent, message: unknown): void => {
    if (!ipcSenderAllowed(event.senderFrame?.url)) return; // not our page: ignore silently
    if (!this.attached.has(event.sender.id)) return;
    this.handlers.receive(`wc-${event.sender.id}`, message);
  };
}
