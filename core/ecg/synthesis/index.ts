/** Synthetic 12-lead ECG (ECGSYN 3-D heart vector) with ground-truth beats. */
export { synthesizeEcg, type SynthesizeEcgOptions, type SynthesizedEcg } from './synthesize.ts';
export { rhythms, defaultHeartRateBpm, heartRateRangeBpm, type Rhythm } from './rhythm.ts';
export { electrodes, signalElectrodes, type Electrode, type SignalElectrode, type NoiseOptions } from './noise.ts';
export { deriveLimbLeads, type DerivedLimbLeads } from './limb-leads.ts';
export { createRandom, type Random } from './random.ts';
export { addNstdbNoise, inNoisySegment, type NstdbNoiseKind, type NstdbNoiseOptions } from './nstdb-noise.ts';
