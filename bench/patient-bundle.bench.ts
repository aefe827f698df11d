// Patient page weight: gzipped JavaScript of a fresh production build of apps/patient-web,
// beside its budget (a whole visit in one language, the i18n runtime included, ≤ 100 KB) and
// beside baselines built in the same run: a bare "hello" page with the page's own Vite config
// (React's API on Preact's compat layer); the same plus socket.io-client (the two dependencies
// every version of this page needs); and that plus the shared zod contracts. The differences
// show what our code adds. One more baseline, the hello page on React DOM itself (the page's
// config without the Preact aliases), shows what the compat layer saves. Gzip at level 6, what
// servers typically send.
//
//   npm run bench -- patient-bundle
//
// Builds go to temporary folders, so a running end-to-end suite keeps its apps/patient-web/dist.
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { build } from 'vite';

const ROOT = fileURLToPath(new URL('../', import.meta.url));
const APP = path.join(ROOT, 'apps/patient-web');
const CONFIG = path.join(APP, 'vite.config.ts');
// A whole visit's JS (every chunk but the other languages' catalogs: the framework, the page,
// the call engine, the i18n runtime and one language) stays under 100 KB gzipped.
const BUDGET_KB = 100;
/** Catalog chunks of the languages a patient did not choose (Vite names chunks after files). */
const OTHER_LANGUAGES = /^(es|ar)-[\w-]+\.js$/;

interface Sizes {
  files: number;
  rawBytes: number;
  gzipBytes: number;
}

function jsSizes(outDir: string, skip?: RegExp): Sizes {
  const assets = path.join(outDir, 'assets');
  const sizes: Sizes = { files: 0, rawBytes: 0, gzipBytes: 0 };
  for (const name of readdirSync(assets)) {
    if (!name.endsWith('.js') || skip?.test(name)) continue;
    const buf = readFileSync(path.join(assets, name));
    sizes.files += 1;
    sizes.rawBytes += buf.length;
    sizes.gzipBytes += gzipSync(buf).length;
  }
  return sizes;
}

/** What the page loads before its first screen: the entry script and its modulepreloads. */
function initialJsSizes(outDir: string): Sizes {
  const html = readFileSync(path.join(outDir, 'index.html'), 'utf8');
  const names = [...html.matchAll(/(?:src|href)="\/assets\/([^"]+\.js)"/g)].map((m) => m[1]!);
  const sizes: Sizes = { files: 0, rawBytes: 0, gzipBytes: 0 };
  for (const name of new Set(names)) {
    const buf = readFileSync(path.join(outDir, 'assets', name));
    sizes.files += 1;
    sizes.rawBytes += buf.length;
    sizes.gzipBytes += gzipSync(buf).length;
  }
  return sizes;
}

async function buildWith(
  root: string,
  outDir: string,
  options: { reactDom?: boolean } = {},
): Promise<number> {
  const started = performance.now();
  await build({
    configFile: CONFIG,
    root,
    logLevel: 'silent',
    build: { outDir, emptyOutDir: true },
    // The page's config with React DOM itself: drop the aliases that map react to Preact.
    ...(options.reactDom
      ? {
          plugins: [
            {
              name: 'bench-react-dom',
              config(config) {
                const alias = config.resolve?.alias;
                if (Array.isArray(alias)) {
                  config.resolve!.alias = alias.filter(
                    (a: { replacement: string }) => !a.replacement.startsWith('preact'),
                  );
                }
              },
            },
          ],
        }
      : {}),
  });
  return performance.now() - started;
}

/** A throwaway page inside the repo (so `react` resolves from its node_modules). */
function scratchPage(dir: string, main: string): void {
  mkdirSync(dir, { recursive: true });
  writeFileSync(
    path.join(dir, 'index.html'),
    '<!doctype html><html><body><div id="root"></div><script type="module" src="/main.tsx"></script></body></html>',
  );
  writeFileSync(path.join(dir, 'main.tsx'), main);
}

const HELLO = `import { createRoot } from 'react-dom/client';
createRoot(document.getElementById('root')!).render(<h1>hello</h1>);
`;
const HELLO_SOCKET = `import { createRoot } from 'react-dom/client';
import { io } from 'socket.io-client';
const socket = io(location.origin, { autoConnect: false });
createRoot(document.getElementById('root')!).render(<h1>{socket.id ?? 'hello'}</h1>);
`;

// The wire contracts the call engine validates server events with: the zod/mini modules (the
// engine imports those, never the index, which also holds the classic-zod REST schemas).
const CONTRACTS = path.join(ROOT, 'packages/shared/src/contracts');
const HELLO_SOCKET_ZOD = `import { createRoot } from 'react-dom/client';
import { io } from 'socket.io-client';
import { ErrorCodeSchema } from ${JSON.stringify(path.join(CONTRACTS, 'common.ts'))};
import { IceServersResponseSchema } from ${JSON.stringify(path.join(CONTRACTS, 'ice.ts'))};
import { serverEventSchemas } from ${JSON.stringify(path.join(CONTRACTS, 'socket.ts'))};
const socket = io(location.origin, { autoConnect: false });
const ok = IceServersResponseSchema.safeParse({}).success && ErrorCodeSchema.safeParse('x').success && Object.keys(serverEventSchemas).length;
createRoot(document.getElementById('root')!).render(<h1>{socket.id ?? String(ok)}</h1>);
`;

const kb = (bytes: number) => (bytes / 1024).toFixed(1).padStart(7);

async function main(): Promise<void> {
  const out = mkdtempSync(path.join(tmpdir(), 'bedside-bundle-'));
  const scratch = path.join(ROOT, 'node_modules/.cache/bedside-bench');
  try {
    const appMs = await buildWith(APP, path.join(out, 'app'));
    scratchPage(path.join(scratch, 'hello'), HELLO);
    await buildWith(path.join(scratch, 'hello'), path.join(out, 'hello'));
    await buildWith(path.join(scratch, 'hello'), path.join(out, 'hello-react-dom'), {
      reactDom: true,
    });
    scratchPage(path.join(scratch, 'hello-socket'), HELLO_SOCKET);
    await buildWith(path.join(scratch, 'hello-socket'), path.join(out, 'hello-socket'));

    scratchPage(path.join(scratch, 'hello-socket-zod'), HELLO_SOCKET_ZOD);
    await buildWith(path.join(scratch, 'hello-socket-zod'), path.join(out, 'hello-socket-zod'));

    const app = jsSizes(path.join(out, 'app'));
    const appInitial = initialJsSizes(path.join(out, 'app'));
    const appOneLanguage = jsSizes(path.join(out, 'app'), OTHER_LANGUAGES);
    const helloZod = jsSizes(path.join(out, 'hello-socket-zod'));
    const hello = jsSizes(path.join(out, 'hello'));
    const helloReactDom = jsSizes(path.join(out, 'hello-react-dom'));
    const helloSocket = jsSizes(path.join(out, 'hello-socket'));
    const cssBytes = readdirSync(path.join(out, 'app', 'assets'))
      .filter((f) => f.endsWith('.css'))
      .reduce((n, f) => n + gzipSync(readFileSync(path.join(out, 'app', 'assets', f))).length, 0);

    console.log('JavaScript, gzip level 6 (KB)      gzipped      raw  files');
    const row = (label: string, s: Sizes) =>
      console.log(
        `${label.padEnd(34)}${kb(s.gzipBytes)}  ${kb(s.rawBytes)}  ${String(s.files).padStart(5)}`,
      );
    row('baseline: hello on React DOM', helloReactDom);
    row('baseline: hello (Preact compat)', hello);
    row('baseline: + socket.io-client', helloSocket);
    row('baseline: + contracts (zod/mini)', helloZod);
    row('patient page (apps/patient-web)', app);
    row('  a whole visit, one language', appOneLanguage);
    row('  before the first screen (en)', appInitial);
    console.log(
      `\nour code over framework + socket:${kb(app.gzipBytes - helloSocket.gzipBytes)} KB gzipped`,
    );
    console.log(
      `  of which engine + page (no zod): ${kb(app.gzipBytes - helloZod.gzipBytes)} KB gzipped`,
    );
    console.log(`patient page CSS:                 ${kb(cssBytes)} KB gzipped`);
    const verdict = appOneLanguage.gzipBytes <= BUDGET_KB * 1024 ? 'within' : 'OVER';
    console.log(
      `budget, a whole visit (one lang.): ${kb(BUDGET_KB * 1024)} KB gzipped JS → ${verdict} (${((appOneLanguage.gzipBytes / (BUDGET_KB * 1024)) * 100).toFixed(0)}%)`,
    );
    // Background blur: its chunk and MediaPipe's files load only when the patient turns it on.
    const assets = path.join(out, 'app', 'assets');
    const blurChunks = readdirSync(assets).filter((f) => /^blur-[\w-]+\.js$/.test(f));
    const blurGz = blurChunks.reduce(
      (n, f) => n + gzipSync(readFileSync(path.join(assets, f))).length,
      0,
    );
    const mpDir = readdirSync(path.join(assets, 'mediapipe')).map((d) =>
      path.join(assets, 'mediapipe', d),
    )[0];
    // Of the two wasm builds the browser fetches one (SIMD where supported); count that one.
    const mpFiles = mpDir
      ? readdirSync(mpDir).filter((f) => !/solution_wasm_bin|selfie_segmentation\.tflite$/.test(f))
      : [];
    const mpGz = mpFiles.reduce(
      (n, f) => n + gzipSync(readFileSync(path.join(mpDir!, f))).length,
      0,
    );
    const inFirst = blurChunks.some((f) =>
      readFileSync(path.join(out, 'app', 'index.html'), 'utf8').includes(f),
    );
    console.log(
      `blur chunk (on demand):           ${kb(blurGz)} KB gzipped${inFirst ? ' — IN THE FIRST SCREEN' : ', not in the first screen'}`,
    );
    console.log(
      `MediaPipe files (on demand):      ${kb(mpGz)} KB gzipped (script, SIMD wasm + loader, landscape model)`,
    );
    if (inFirst || blurChunks.length === 0) process.exitCode = 1;
    console.log(`(production build of the page took ${(appMs / 1000).toFixed(1)} s)`);
    if (verdict === 'OVER') process.exitCode = 1;
  } finally {
    rmSync(out, { recursive: true, force: true });
    rmSync(scratch, { recursive: true, force: true });
  }
}

await main();
