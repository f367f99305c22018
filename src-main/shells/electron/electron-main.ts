/**
 * The Electron shell. The renderer is sandboxed (sandbox, contextIsolation on, nodeIntegration
 * off), loads only the built files under a strict CSP, cannot navigate or open windows, and
 * reaches the core only through `rfw:call:<method>` channels whose sender is checked against the
 * one window we created and whose input is parsed against the contract.
 */
import { app, BrowserWindow, ipcMain, session, shell, type IpcMainInvokeEvent } from 'electron';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { methodNames } from '../../common/contract';
import { readEnvironmentSettings } from '../../common/environment-settings';
import { ipcChannelPrefix } from '../../common/wire';
import { Workbench } from '../../core/workbench';
import { appVersion } from '../app-version';
import { dispatchCall } from '../dispatch';
import { contentSecurityPolicy } from '../browser/static-files';
import { workbenchOptions } from '../workbench-options';

const rendererIndex = join(__dirname, '..', 'renderer', 'index.html');

function createWindow(workbench: Workbench): BrowserWindow {
  const window = new BrowserWindow({
    width: 1440,
    height: 900,
    minWidth: 1100,
    minHeight: 700,
    title: 'Robust Features Workbench',
    webPreferences: {
      preload: join(__dirname, '..', 'preload', 'preload.js'),
      sandbox: true,
      contextIsolation: true,
      nodeIntegration: false,
      webSecurity: true,
    },
  });
  const allowedUrl = pathToFileURL(rendererIndex).href;
  window.webContents.on('will-navigate', (event, url) => {
    if (url !== allowedUrl) event.preventDefault();
  });
  window.webContents.setWindowOpenHandler(({ url }) => {
    // Links to documentation open in the system browser; the app never opens its own windows.
    if (url.startsWith('https://')) void shell.openExternal(url);
    return { action: 'deny' };
  });
  // Events go to this window only, and stop when it is gone.
  const unsubscribe = workbench.subscribe((event, payload) => {
    if (!window.isDestroyed())
      window.webContents.send(`${ipcChannelPrefix}event:${event}`, payload);
  });
  window.on('closed', unsubscribe);
  void window.loadFile(rendererIndex);
  return window;
}

function registerCalls(workbench: Workbench, trusted: () => BrowserWindow | null): void {
  for (const method of methodNames) {
    ipcMain.handle(
      `${ipcChannelPrefix}call:${method}`,
      async (event: IpcMainInvokeEvent, input: unknown) => {
        const window = trusted();
        const fromOurWindow =
          window !== null &&
          event.sender === window.webContents &&
          event.senderFrame === window.webContents.mainFrame;
        if (!fromOurWindow) {
          return {
            ok: false,
            error: {
              code: 'invalid-input',
              message: 'calls are accepted only from the workbench window',
            },
          };
        }
        return dispatchCall(workbench, method, input);
      },
    );
  }
}

async function main(): Promise<void> {
  const settings = readEnvironmentSettings(process.env);
  await app.whenReady();
  const workbench = new Workbench(workbenchOptions('electron', __dirname, settings, appVersion));
  workbench.warmUp();
  session.defaultSession.webRequest.onHeadersReceived((details, callback) => {
    callback({
      responseHeaders: {
        ...details.responseHeaders,
        'Content-Security-Policy': [contentSecurityPolicy(0)],
      },
    });
  });
  session.defaultSession.setPermissionRequestHandler((_contents, _permission, callback) =>
    callback(false),
  );
  let window: BrowserWindow | null = createWindow(workbench);
  registerCalls(workbench, () => window);
  window.on('closed', () => {
    window = null;
  });
  app.on('window-all-closed', () => {
    void workbench.dispose().finally(() => app.quit());
  });
}

app.on('web-contents-created', (_event, contents) => {
  contents.on('will-attach-webview', (event) => event.preventDefault());
});

main().catch((error: unknown) => {
  console.error(error);
  app.exit(1);
});
