// Node (Playwright worker, benchmarks) + page: a fake-camera picture with a person in it, for
// background blur. Chromium's own fake camera shows no person, so segmentation would call the
// whole picture background. Instead ffmpeg draws a still head-and-shoulders figure (skin-toned
// face with eyes and mouth, neck, dark shirt) in front of a busy background (testsrc2 colour bars
// under a 12 px checkerboard), written as a .y4m for `--use-file-for-fake-video-capture`.
// MediaPipe's selfie model does see a person in it (about a quarter of the picture, head and
// shoulders; checked when this scene was made).
//
// Regions are taken from the drawing, with margins so the mask's soft edge does not count:
// foreground is at least 15 px inside the figure, background at least 35 px outside it.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

export const SCENE = { width: 640, height: 480 } as const;

// Figure, in pixels of the 640×480 picture.
const head = 'pow((X-320)/75,2)+pow((Y-190)/95,2)';
const eyes = 'lt(pow((X-290)/12,2)+pow((Y-170)/7,2),1)+lt(pow((X-350)/12,2)+pow((Y-170)/7,2),1)';
const mouth = 'lt(pow((X-320)/30,2)+pow((Y-235)/8,2),1)';
const neck = 'gt(Y,275)*lt(abs(X-320),40)*lt(Y,320)';
const torso = 'gt(Y,315)*lt(abs(X-320),70+(Y-315)*0.9)';
const checker = 'mod(floor(X/12)+floor(Y/12),2)';
// Striped shirt: texture inside the person too, so a blur that spilled onto them would show.
const stripe = 'mod(floor(X/5),2)';

function channel(
  c: 'r' | 'g' | 'b',
  skin: number,
  eye: number,
  lip: number,
  neckV: number,
  shirt: number,
) {
  return `if(lt(${head},1),if(${eyes},${eye},if(${mouth},${lip},${skin})),if(${neck},${neckV},if(${torso},if(${stripe},${shirt},230),if(${checker},${c}(X,Y),255-${c}(X,Y)))))`;
}

export function ffmpegAvailable(): boolean {
  try {
    execFileSync('ffmpeg', ['-version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

/** Writes the scene as a 1-second, 30 fps .y4m (Chromium loops it) and returns its path. */
export function writeSceneY4m(dir = mkdtempSync(path.join(tmpdir(), 'b11-scene-'))): string {
  const file = path.join(dir, 'person.y4m');
  if (existsSync(file)) return file;
  const geq = [
    `r='${channel('r', 225, 40, 150, 205, 40)}'`,
    `g='${channel('g', 180, 30, 60, 160, 60)}'`,
    `b='${channel('b', 150, 30, 70, 130, 110)}'`,
  ].join(':');
  execFileSync(
    'ffmpeg',
    [
      ...['-loglevel', 'error', '-y', '-f', 'lavfi'],
      ...['-i', `testsrc2=s=${SCENE.width}x${SCENE.height}:d=1:r=1`],
      ...['-vf', `format=rgb24,geq=${geq},format=yuv420p`],
      ...['-frames:v', '1', path.join(dir, 'still.png')],
    ],
    { stdio: 'inherit' },
  );
  execFileSync(
    'ffmpeg',
    [
      ...['-loglevel', 'error', '-y', '-loop', '1', '-i', path.join(dir, 'still.png')],
      ...['-t', '1', '-r', '30', '-pix_fmt', 'yuv420p', file],
    ],
    { stdio: 'inherit' },
  );
  return file;
}

/** Region of a pixel of the 640×480 picture: 'fg', 'bg' or null (near the figure's edge). */
export function region(x: number, y: number): 'fg' | 'bg' | null {
  const ellipse = (rx: number, ry: number) => ((x - 320) / rx) ** 2 + ((y - 190) / ry) ** 2;
  const torsoHalf = 70 + (y - 315) * 0.9;
  const inside =
    ellipse(60, 80) < 1 ||
    (y > 330 && Math.abs(x - 320) < torsoHalf - 15) ||
    (y > 290 && y < 305 && Math.abs(x - 320) < 25);
  if (inside) return 'fg';
  const near =
    ellipse(110, 130) < 1 || (y > 250 && Math.abs(x - 320) < Math.max(75, torsoHalf) + 35);
  if (near) return null;
  return 'bg';
}

/** The regions every `step` pixels, row by row, as 'f' / 'b' / '.' (for a page to use). */
export function regionMap(step: number): string {
  let out = '';
  for (let y = 0; y < SCENE.height; y += step)
    for (let x = 0; x < SCENE.width; x += step) {
      const r = region(x, y);
      out += r === 'fg' ? 'f' : r === 'bg' ? 'b' : '.';
    }
  return out;
}
