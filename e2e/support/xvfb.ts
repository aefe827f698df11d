// Node (Playwright worker): a virtual X display for a browser that needs one. Headless Firefox
// has no WebGL (and so no background blur: MediaPipe needs a GL context); a headed Firefox on
// Xvfb gets WebGL from Mesa's software renderer (llvmpipe).
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';

export interface VirtualDisplay {
  /** For DISPLAY, e.g. ":99". */
  display: string;
  stop(): Promise<void>;
}

/** Null when Xvfb is not installed (the caller falls back to headless and says so). */
export async function startXvfb(): Promise<VirtualDisplay | null> {
  if (spawnSync('sh', ['-c', 'command -v Xvfb'], { stdio: 'ignore' }).status !== 0) return null;
  // -displayfd: Xvfb picks a free display number itself and writes it to fd 3 once it listens.
  const child: ChildProcess = spawn(
    'Xvfb',
    ['-displayfd', '3', '-screen', '0', '1280x800x24', '-nolisten', 'tcp'],
    { stdio: ['ignore', 'ignore', 'pipe', 'pipe'] },
  );
  const display = await new Promise<string>((resolve, reject) => {
    let out = '';
    let err = '';
    const timer = setTimeout(
      () => reject(new Error(`Xvfb did not start: ${err.slice(-300)}`)),
      15_000,
    );
    child.stdio[2]?.on('data', (d: Buffer) => (err += d.toString()));
    child.stdio[3]?.on('data', (d: Buffer) => {
      out += d.toString();
      if (out.includes('\n')) {
        clearTimeout(timer);
        resolve(`:${out.trim()}`);
      }
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`Xvfb exited (${code}): ${err.slice(-300)}`));
    });
  });
  return {
    display,
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      }),
  };
}
