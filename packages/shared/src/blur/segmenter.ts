// DOM: MediaPipe selfie segmentation, loaded from the app's own origin.
//
// The npm package ships its script, model (.tflite, .binarypb) and WebAssembly; each app's build
// copies them under `assetBase` (see scripts/vite/mediapipeAssets.ts) and nothing comes from a
// CDN. `selfie_segmentation.js` is a classic script that defines `window.SelfieSegmentation`
// (it is not an ES module and cannot be bundled), so it is added as a <script> from the same
// origin; `locateFile` then points every file it fetches — the wasm loader script, the wasm, the
// model — at `assetBase` too. The CSP needs `'wasm-unsafe-eval'` to compile the wasm; nothing
// needs `'unsafe-eval'` (docs/quality.md, "Background blur").
import type {
  Options,
  Results,
  SelfieSegmentation,
  SelfieSegmentationConfig,
} from '@mediapipe/selfie_segmentation';

type SelfieSegmentationCtor = new (config?: SelfieSegmentationConfig) => SelfieSegmentation;

declare global {
  interface Window {
    SelfieSegmentation?: SelfieSegmentationCtor;
  }
}

export const SEGMENTER_SCRIPT = 'selfie_segmentation.js';

/** What the blur pipeline needs from a segmenter; the tests' stand-in implements the same. */
export interface Segmenter {
  /**
   * Segments `image` and calls `use` with the person mask (alpha: the confidence that a pixel
   * belongs to a person). MediaPipe's result images are only valid inside its callback, so the
   * mask is handed over there rather than returned.
   */
  segment(
    image: HTMLCanvasElement | HTMLVideoElement,
    use: (mask: CanvasImageSource) => void,
  ): Promise<void>;
  close(): Promise<void>;
}

let scriptLoad: Promise<SelfieSegmentationCtor> | null = null;

function loadScript(assetBase: string): Promise<SelfieSegmentationCtor> {
  scriptLoad ??= new Promise<SelfieSegmentationCtor>((resolve, reject) => {
    if (window.SelfieSegmentation) return resolve(window.SelfieSegmentation);
    const script = document.createElement('script');
    script.src = new URL(SEGMENTER_SCRIPT, assetBase).href;
    script.async = true;
    script.addEventListener('load', () => {
      if (window.SelfieSegmentation) resolve(window.SelfieSegmentation);
      else reject(new Error('selfie segmentation script loaded without its constructor'));
    });
    script.addEventListener('error', () =>
      reject(new Error('could not load the selfie segmentation script')),
    );
    document.head.append(script);
  }).catch((err: unknown) => {
    scriptLoad = null; // a later attempt may succeed (offline for a moment)
    throw err;
  });
  return scriptLoad;
}

/** Something that can hand out a canvas (the document; a stand-in in unit tests). */
export interface CanvasMaker {
  createElement(tag: 'canvas'): Pick<HTMLCanvasElement, 'getContext'>;
}

/**
 * MediaPipe's graph needs a WebGL context even with CPU inference (it converts and scales the
 * picture on the GPU side). Without one — Firefox with WebGL turned off or blocked (a privacy
 * setting, a blocklisted driver, headless) — its `initialize()` never settles, so the person
 * would watch "Starting background blur…" for ever. Asked first, it becomes "this browser
 * cannot blur".
 */
export function webGlAvailable(maker: CanvasMaker = document): boolean {
  for (const kind of ['webgl2', 'webgl'] as const) {
    const gl = maker.createElement('canvas').getContext(kind) as WebGLRenderingContext | null;
    if (gl) {
      gl.getExtension('WEBGL_lose_context')?.loseContext();
      return true;
    }
  }
  return false;
}

/** Loading the script, wasm and model, and the first run: past this, blur has failed. */
export const SEGMENTER_LOAD_TIMEOUT_MS = 30_000;

/** `work`, or a rejection after `ms` (the timer is cleared either way). */
export function withTimeout<T>(work: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} took longer than ${ms} ms`)), ms);
  });
  return Promise.race([work, late]).finally(() => clearTimeout(timer));
}

/**
 * True when WebGL is drawn in software (SwiftShader, llvmpipe: virtual machines, remote
 * desktops, no GPU driver). There MediaPipe's GPU inference is several times slower than its
 * CPU (XNNPACK) inference: on the 2-core test machine about 500 ms against 75 ms a frame.
 */
export function softwareWebGl(): boolean {
  const gl = document.createElement('canvas').getContext('webgl2');
  if (!gl) return true;
  const info = gl.getExtension('WEBGL_debug_renderer_info');
  const renderer = String(gl.getParameter(info ? info.UNMASKED_RENDERER_WEBGL : gl.RENDERER) ?? '');
  gl.getExtension('WEBGL_lose_context')?.loseContext();
  return /swiftshader|llvmpipe|software|basic render/i.test(renderer);
}

/**
 * Loads and initialises the model (`modelSelection: 1`, the landscape model: 144×256 input,
 * fewer operations than the general one, made for video calls), then runs it once on a blank
 * picture so the first camera frame does not pay for graph set-up.
 */
export function loadSelfieSegmenter(assetBase: string): Promise<Segmenter> {
  const loading = load(assetBase);
  return withTimeout(loading, SEGMENTER_LOAD_TIMEOUT_MS, 'loading the segmentation model').catch(
    (err: unknown) => {
      // Given up on: should it still finish, its graph and GL context are freed, not kept.
      void loading.then((late) => late.close()).catch(() => undefined);
      throw err;
    },
  );
}

async function load(assetBase: string): Promise<Segmenter> {
  const base = new URL(assetBase, document.baseURI).href;
  const Ctor = await loadScript(base);
  const mp = new Ctor({ locateFile: (file) => new URL(file, base).href });
  // `useCpuInference` is one of the solution's own options (its graph-options table in
  // selfie_segmentation.js); the typings list only the two common ones.
  const options: Options & { useCpuInference?: boolean } = {
    modelSelection: 1,
    selfieMode: false,
    useCpuInference: softwareWebGl(),
  };
  mp.setOptions(options);
  let use: ((mask: CanvasImageSource) => void) | null = null;
  mp.onResults((results: Results) => {
    use?.(results.segmentationMask);
  });
  await mp.initialize();
  const blank = document.createElement('canvas');
  blank.width = 256;
  blank.height = 144;
  blank.getContext('2d')?.fillRect(0, 0, blank.width, blank.height);
  await mp.send({ image: blank });
  return {
    async segment(image, onMask) {
      use = onMask;
      try {
        await mp.send({ image });
      } finally {
        use = null;
      }
    },
    close: () => mp.close(),
  };
}
