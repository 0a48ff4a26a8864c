/**
 * ECG signal processing: conditioning filters, QRS detection, delineation, measurements and machine
 * hints. Pure: typed arrays in, plain objects out.
 */
export { conditionEcg, removeBaselineWander, notchFilter, lowPassFilter, zeroPhaseFilter, type ConditioningOptions } from './filters.ts';
export { detectQrs, rrIntervalsMs, heartRateBpm, type QrsDetection } from './qrs-detection.ts';
export { scoreBeatDetection, beatAnnotationCodes, type BeatMatchScore, type BeatMatchOptions } from './beat-matching.ts';
export { measureEcg, chooseRhythmLead, chooseMeasurementLead, type EcgMeasurements, type MeasureOptions } from './measure.ts';
export { frontalAxisDeg, axisCategory, type AxisCategory } from './axis.ts';
export { rhythmHints, analyseRr, stElevationCutPointUv, type EcgHint, type EcgHintCode } from './rhythm-hints.ts';
export { assessLeadQuality, leadQualityLimits, assessSegmentNoise, noisySnrDb, type LeadQuality, type LeadQualityProblem, type SegmentNoise } from './signal-quality.ts';
