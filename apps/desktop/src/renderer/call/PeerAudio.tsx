// DOM: every other member's voice, and the sound of a screen they share, each on an <audio> of
// its own, kept apart from the videos. The stage changes layout as people come and go (two
// people on the stage, a grid from three, the stage again when a guest leaves); a <video> that
// carried the voice was remounted then, and that person's voice dropped for a moment. These
// elements stay mounted while their person is in the call, so nobody's voice is cut by a layout
// change, and the chosen speaker applies to all of them, shared-screen sound included.
// Every remote <video> is muted (StreamVideo).
import type { CallEngineApi, RemotePeer } from '@bedside/shared/call';
import { type RefObject, useEffect, useRef } from 'react';

function StreamAudio({ stream }: { stream: MediaStream }) {
  const ref = useRef<HTMLAudioElement>(null);
  useEffect(() => {
    const el = ref.current;
    if (!el || el.srcObject === stream) return;
    el.srcObject = stream;
    // Autoplay can be refused before any user gesture; the element retries on the next one.
    void el.play().catch(() => {});
  }, [stream]);
  return <audio ref={ref} autoPlay data-testid="peer-audio" />;
}

/** The voices' elements inside `box` (speaker selection from the devices dialog needs them). */
export const voiceElements = (box: RefObject<HTMLDivElement | null>): HTMLAudioElement[] => [
  ...(box.current?.querySelectorAll('audio') ?? []),
];

export function PeerAudio(props: {
  peers: readonly RemotePeer[];
  engine: CallEngineApi;
  speakerId: string | null;
  box: RefObject<HTMLDivElement | null>;
}) {
  const { peers, engine, speakerId, box } = props;
  const streams = peers.flatMap((p) => [p.stream, p.screenStream]);
  const streamKey = streams.map((s) => s?.id ?? '-').join(',');

  // Route every voice to the chosen speaker, again whenever an element comes or goes.
  useEffect(() => {
    const els = voiceElements(box);
    if (speakerId && els.length) void engine.setSpeaker(speakerId, els).catch(() => {});
  }, [engine, speakerId, streamKey, box]);

  return (
    <div ref={box} hidden>
      {peers.map((p) => (
        <div key={p.user.socketId} data-socket-id={p.user.socketId}>
          {p.stream && <StreamAudio key="voice" stream={p.stream} />}
          {p.screenStream && <StreamAudio key="screen" stream={p.screenStream} />}
        </div>
      ))}
    </div>
  );
}
