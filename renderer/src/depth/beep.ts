// A short beep for large trades (WebAudio, no asset). The AudioContext is created on
// first use and reused; at most one beep per 150 ms however many large trades arrive.
let ctx: AudioContext | null = null;
let lastAt = 0;

export function beep(now: number): void {
  if (now - lastAt < 150) return;
  lastAt = now;
  try {
    ctx ??= new AudioContext();
    const osc = ctx.createOscillator();
    const gain = ctx.createGain();
    osc.frequency.value = 880;
    gain.gain.setValueAtTime(0.08, ctx.currentTime);
    gain.gain.exponentialRampToValueAtTime(0.0001, ctx.currentTime + 0.12);
    osc.connect(gain).connect(ctx.destination);
    osc.start();
    osc.stop(ctx.currentTime + 0.13);
  } catch {
    // No audio device or autoplay refused: the large-trade colour still shows it.
  }
}
