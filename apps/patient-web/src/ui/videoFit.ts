// Pure: how a remote video fills its box. `cover` fills the box by cropping; on a phone held in
// landscape a portrait camera would lose all but a middle band (a face cut off), so cover only
// when the two aspect ratios are close and the crop is small; otherwise show it all (contain).

/** Cover crops at most this share of the picture's width or height. */
export const MAX_COVER_CROP = 0.2;

export function videoFit(
  video: { width: number; height: number },
  box: { width: number; height: number },
): 'cover' | 'contain' {
  if (video.width <= 0 || video.height <= 0 || box.width <= 0 || box.height <= 0) return 'contain';
  const videoRatio = video.width / video.height;
  const boxRatio = box.width / box.height;
  // The share of the video cover would hide: 1 − smaller ratio / larger ratio.
  const crop = 1 - Math.min(videoRatio, boxRatio) / Math.max(videoRatio, boxRatio);
  return crop <= MAX_COVER_CROP ? 'cover' : 'contain';
}

/** The self-view's box follows the camera: landscape camera, landscape box. */
export function selfViewAspect(video: { width: number; height: number }): string | undefined {
  if (video.width <= 0 || video.height <= 0) return undefined;
  return `${video.width} / ${video.height}`;
}
