import { describe, expect, it } from 'vitest';
import { orderVideoCodecs, preferVideoCodecs, videoCodecOrder } from './codecs.js';

const UA = {
  iphone:
    'Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.4 Mobile/15E148 Safari/604.1',
  chromeIos:
    'Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) CriOS/124.0 Mobile/15E148 Safari/604.1',
  macSafari:
    'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.4 Safari/605.1.15',
  chrome:
    'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Safari/537.36',
  firefox: 'Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0',
};

const codecs = [
  { mimeType: 'video/VP8', clockRate: 90000 },
  { mimeType: 'video/rtx', clockRate: 90000 },
  { mimeType: 'video/VP9', clockRate: 90000 },
  { mimeType: 'video/H264', clockRate: 90000, sdpFmtpLine: 'profile-level-id=42e01f' },
  { mimeType: 'video/H264', clockRate: 90000, sdpFmtpLine: 'profile-level-id=640c1f' },
  { mimeType: 'video/AV1', clockRate: 90000 },
  { mimeType: 'video/red', clockRate: 90000 },
];

describe('videoCodecOrder', () => {
  it('puts H264 first on Safari and on every iOS browser (all WebKit), VP8 elsewhere', () => {
    expect(videoCodecOrder(UA.iphone, 5)).toBe('h264-first');
    expect(videoCodecOrder(UA.chromeIos, 5)).toBe('h264-first');
    expect(videoCodecOrder(UA.macSafari, 0)).toBe('h264-first');
    expect(videoCodecOrder(UA.chrome, 0)).toBe('vp8-first');
    expect(videoCodecOrder(UA.firefox, 0)).toBe('vp8-first');
  });
});

describe('orderVideoCodecs', () => {
  const mimes = (list: { mimeType: string; sdpFmtpLine?: string }[]) =>
    list.map((c) => c.mimeType + (c.sdpFmtpLine ? `;${c.sdpFmtpLine.slice(-6)}` : ''));
  it('reorders without dropping anything, H264 profiles in the browser’s order', () => {
    expect(mimes(orderVideoCodecs(codecs, 'h264-first'))).toEqual([
      'video/H264;42e01f',
      'video/H264;640c1f',
      'video/VP8',
      'video/VP9',
      'video/AV1',
      'video/rtx',
      'video/red',
    ]);
    expect(mimes(orderVideoCodecs(codecs, 'vp8-first')).slice(0, 3)).toEqual([
      'video/VP8',
      'video/H264;42e01f',
      'video/H264;640c1f',
    ]);
  });
  it('leaves a browser without H264 (Debian Firefox) with VP8 first', () => {
    const noH264 = codecs.filter((c) => c.mimeType !== 'video/H264');
    expect(orderVideoCodecs(noH264, 'h264-first')[0]?.mimeType).toBe('video/VP8');
  });
});

describe('preferVideoCodecs', () => {
  it('applies the order where setCodecPreferences exists, and says when it cannot', () => {
    let applied: { mimeType: string }[] = [];
    const tx = { setCodecPreferences: (c: Iterable<RTCRtpCodec>) => (applied = [...c]) };
    expect(preferVideoCodecs(tx, 'h264-first', { codecs, headerExtensions: [] })).toBe(true);
    expect(applied[0]?.mimeType).toBe('video/H264');
    const old = {} as Pick<RTCRtpTransceiver, 'setCodecPreferences'>;
    expect(preferVideoCodecs(old, 'h264-first', { codecs, headerExtensions: [] })).toBe(false);
    expect(preferVideoCodecs(tx, 'h264-first', null)).toBe(false);
    const refusing = {
      setCodecPreferences: () => {
        throw new DOMException('bad', 'InvalidModificationError');
      },
    };
    expect(preferVideoCodecs(refusing, 'vp8-first', { codecs, headerExtensions: [] })).toBe(false);
  });
});
