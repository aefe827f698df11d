// DOM, pure logic: which video codec to offer first. Safari (and every browser on iOS, which
// are all WebKit) encodes H264 in hardware, so H264 first saves the phone's battery and heat;
// elsewhere VP8 first, the codec every WebRTC browser has (Debian's Firefox, for one, ships
// without H264). Only the order changes: both stay offered, so any pair still finds a match.
export type VideoCodecOrder = 'h264-first' | 'vp8-first';

export function videoCodecOrder(userAgent: string, maxTouchPoints: number): VideoCodecOrder {
  const ios =
    /iPhone|iPad|iPod/.test(userAgent) || (/Macintosh/.test(userAgent) && maxTouchPoints > 1);
  const safari =
    /AppleWebKit/.test(userAgent) && !/Chrome|Chromium|CriOS|Edg|Firefox|FxiOS|OPR/.test(userAgent);
  return ios || safari ? 'h264-first' : 'vp8-first';
}

type Codec = Pick<RTCRtpCodec, 'mimeType'> & Partial<RTCRtpCodec>;

/**
 * The codecs in preference order: the preferred family, then the other, then the rest (VP9,
 * AV1), with the repair formats (rtx, red, ulpfec, flexfec) last, as browsers list them.
 * Stable within each group, so H264 profiles keep the browser's own order.
 */
export function orderVideoCodecs<C extends Codec>(
  codecs: readonly C[],
  order: VideoCodecOrder,
): C[] {
  const rank = (c: C): number => {
    const mime = c.mimeType.toLowerCase();
    if (/\/(rtx|red|ulpfec|flexfec-03)$/.test(mime)) return 3;
    if (mime === 'video/h264') return order === 'h264-first' ? 0 : 1;
    if (mime === 'video/vp8') return order === 'vp8-first' ? 0 : 1;
    return 2;
  };
  return codecs
    .map((codec, i) => ({ codec, i }))
    .sort((a, b) => rank(a.codec) - rank(b.codec) || a.i - b.i)
    .map((x) => x.codec);
}

/**
 * Applies the order to a video transceiver where the browser supports it; false when it
 * cannot (older Safari/Firefox lack `setCodecPreferences`), and the browser's default stands.
 */
export function preferVideoCodecs(
  transceiver: Pick<RTCRtpTransceiver, 'setCodecPreferences'>,
  order: VideoCodecOrder,
  capabilities:
    RTCRtpCapabilities | null | undefined = globalThis.RTCRtpReceiver?.getCapabilities?.('video'),
): boolean {
  if (!capabilities?.codecs.length || typeof transceiver.setCodecPreferences !== 'function')
    return false;
  try {
    transceiver.setCodecPreferences(orderVideoCodecs(capabilities.codecs, order));
    return true;
  } catch {
    // InvalidModificationError: a codec list the browser will not take; keep its default.
    return false;
  }
}
