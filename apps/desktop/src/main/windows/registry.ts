// Main process. The windows this app created: IPC trusts only their WebContents, and the
// picker leaves them out of the screens and windows it offers.

export interface RegisteredWindow {
  readonly webContents: { readonly id: number };
  getMediaSourceId(): string;
  isDestroyed(): boolean;
}

export class WindowRegistry<W extends RegisteredWindow = RegisteredWindow> {
  private readonly windows = new Set<W>();

  add(win: W): () => void {
    this.windows.add(win);
    return () => this.windows.delete(win);
  }

  all(): W[] {
    return [...this.windows].filter((w) => !w.isDestroyed());
  }

  isBedsideContents = (webContentsId: number): boolean =>
    this.all().some((w) => w.webContents.id === webContentsId);

  mediaSourceIds = (): string[] => this.all().map((w) => w.getMediaSourceId());
}
