// DOM: a short, soft two-note chime when a patient arrives in the waiting room. Synthesised
// with WebAudio so there is no asset to load (and nothing for the CSP to allow).
let context: AudioContext | null = null;

export function playChime(): void {
  try {
    context ??= new AudioContext();
    // Autoplay rules may leave the context suspended until the next user gesture; opening
    // the visit was one, so resuming normally succeeds.
    void context.resume();
    const t0 = context.currentTime + 0.01;
    [659.25, 880].forEach((frequency, i) => {
      const ctx = context!;
      const start = t0 + i * 0.18;
      const osc = ctx.createOscillator();
      const gain = ctx.createGain();
      osc.type = 'sine';
      osc.frequency.value = frequency;
      gain.gain.setValueAtTime(0.0001, start);
      gain.gain.exponentialRampToValueAtTime(0.2, start + 0.02);
      gain.gain.exponentialRampToValueAtTime(0.0001, start + 0.45);
      osc.connect(gain).connect(ctx.destination);
      osc.start(start);
      osc.stop(start + 0.5);
    });
  } catch {
    // No audio output (or WebAudio unavailable): the badge and the notification still show.
  }
}
