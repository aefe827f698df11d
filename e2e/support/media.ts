// Node (Playwright worker) + page: is media actually flowing? The production page exposes no
// test hook; instead the test installs an init script before the page loads that remembers each
// RTCPeerConnection the page creates, and reads their standard `getStats()` reports. The
// video elements' own counters (`getVideoPlaybackQuality`) cover local previews.
import type { Page } from '@playwright/test';

export interface VideoElementStats {
  label: string | null;
  width: number;
  height: number;
  /** Frames the element has presented (rises while a live stream plays). */
  totalVideoFrames: number;
  paused: boolean;
  hasStream: boolean;
}

export interface PeerStats {
  /** Inbound video frames decoded, summed over every peer connection the page opened. */
  framesDecoded: number;
  /** Inbound audio RTP packets. */
  audioPacketsReceived: number;
  /** Outbound video frames encoded. */
  framesEncoded: number;
  audioPacketsSent: number;
  peerConnections: number;
}

export interface FrameStats {
  videos: VideoElementStats[];
  peers: PeerStats;
}

declare global {
  interface Window {
    __bedsideE2ePeers?: RTCPeerConnection[];
  }
}

/** Call before `page.goto`: records every RTCPeerConnection the page creates. */
export async function trackPeerConnections(page: Page): Promise<void> {
  await page.addInitScript(() => {
    const Native = window.RTCPeerConnection;
    if (!Native || window.__bedsideE2ePeers) return;
    const peers: RTCPeerConnection[] = [];
    window.__bedsideE2ePeers = peers;
    class Tracked extends Native {
      constructor(config?: RTCConfiguration) {
        super(config);
        peers.push(this);
      }
    }
    window.RTCPeerConnection = Tracked;
  });
}

export async function frameStats(page: Page): Promise<FrameStats> {
  return page.evaluate(async () => {
    const videos = [...document.querySelectorAll('video')].map((v) => ({
      label: v.getAttribute('aria-label'),
      width: v.videoWidth,
      height: v.videoHeight,
      totalVideoFrames: v.getVideoPlaybackQuality().totalVideoFrames,
      paused: v.paused,
      hasStream: v.srcObject !== null,
    }));
    const peers = {
      framesDecoded: 0,
      audioPacketsReceived: 0,
      framesEncoded: 0,
      audioPacketsSent: 0,
      peerConnections: 0,
    };
    for (const pc of window.__bedsideE2ePeers ?? []) {
      if (pc.connectionState === 'closed') continue;
      peers.peerConnections += 1;
      const report = await pc.getStats();
      report.forEach((s: Record<string, unknown>) => {
        const num = (k: string) => (typeof s[k] === 'number' ? (s[k] as number) : 0);
        if (s.type === 'inbound-rtp' && s.kind === 'video')
          peers.framesDecoded += num('framesDecoded');
        if (s.type === 'inbound-rtp' && s.kind === 'audio')
          peers.audioPacketsReceived += num('packetsReceived');
        if (s.type === 'outbound-rtp' && s.kind === 'video')
          peers.framesEncoded += num('framesEncoded');
        if (s.type === 'outbound-rtp' && s.kind === 'audio')
          peers.audioPacketsSent += num('packetsSent');
      });
    }
    return { videos, peers };
  });
}

/** Frames presented by the <video> with this accessible name (0 when absent). */
export async function videoFrames(page: Page, label: string): Promise<number> {
  const stats = await frameStats(page);
  return stats.videos.find((v) => v.label === label)?.totalVideoFrames ?? 0;
}

/**
 * Waits until `read` grows by at least `minDelta` between two samples — "frames are flowing",
 * without asserting any wall-clock rate. The generous default covers ICE on a loaded 2-core
 * machine with two Chromium instances encoding video.
 */
export async function expectRising(
  read: () => Promise<number>,
  what: string,
  { minDelta = 5, timeoutMs = 45_000 } = {},
): Promise<void> {
  const start = await read();
  const deadline = Date.now() + timeoutMs;
  let now = start;
  while (Date.now() < deadline) {
    await new Promise((r) => setTimeout(r, 250));
    now = await read();
    if (now - start >= minDelta) return;
  }
  throw new Error(
    `${what} did not rise by ${minDelta} (from ${start} to ${now}) within ${timeoutMs} ms`,
  );
}
