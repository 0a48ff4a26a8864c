/**
 * The audible part of an alert — a new urgent study in the reading room, a 危急值 report at the clinic:
 * three short 880 Hz beeps through Web Audio (no sound file to ship, works in every modern browser).
 * Browsers let a page make sound only after a user gesture, so each beep resumes the AudioContext:
 * from the user's sign-in on, it sounds.
 */
export interface Beeper {
  beep(): void;
  /** Beeps played so far: the E2E test reads it, since headless Chromium has no speakers. */
  readonly count: number;
}

export function createBeeper(): Beeper {
  const Context = (globalThis as { AudioContext?: typeof AudioContext }).AudioContext;
  const audio = Context ? new Context() : undefined;
  let count = 0;
  return {
    beep() {
      count++;
      if (!audio) return;
      void audio.resume().catch(() => undefined);
      const start = audio.currentTime;
      for (let i = 0; i < 3; i++) {
        const osc = audio.createOscillator();
        const gain = audio.createGain();
        osc.type = 'square';
        osc.frequency.value = 880;
        gain.gain.value = 0.15;
        osc.connect(gain).connect(audio.destination);
        osc.start(start + i * 0.3);
        osc.stop(start + i * 0.3 + 0.18);
      }
    },
    get count() {
      return count;
    },
  };
}
