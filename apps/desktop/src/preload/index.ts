// Preload entry (sandboxed: only `electron` may be required, so this is bundled to one CJS
// file). Exposes exactly the BedsideBridge as `window.bedside`.

import { contextBridge, ipcRenderer } from 'electron';
import { createBridge } from './bridge.js';

contextBridge.exposeInMainWorld('bedside', createBridge(ipcRenderer));
