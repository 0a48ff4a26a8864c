/**
 * Machine hints (机器提示) for the reading physician: rate, irregularity, premature beats, ST
 * elevation, QRS width, QTc. None is a diagnosis — every text says it must be confirmed by a
 * physician, in Chinese and English, and the UI shows them as such.
 */

export type EcgHintCode =
  | 'poor-signal-quality'
  | 'possible-ventricular-fibrillation'
  | 'sinus-bradycardia'
  | 'bradycardia'
  | 'sinus-tachycardia'
  | 'tachycardia'
  | 'irregular-rhythm-possible-af'
  | 'premature-beats'
  | 'possible-st-elevation'
  | 'wide-qrs'
  | 'long-qtc';

export interface EcgHint {
  code: EcgHintCode;
  /** 'urgent' asks for immediate physician attention (possible STEMI). */
  severity: 'info' | 'warning' | 'urgent';
  /** Always true: produced by the program, to be confirmed by a physician. */
  machineGenerated: true;
  en: string;
  zh: string;
  /** Leads that support the hint (ST elevation). */
  leads?: string[];
}

const labelEn = 'Machine hint, to be confirmed by a physician: ';
const labelZh = '机器提示，需医生确认：';

const hint = (code: EcgHintCode, severity: EcgHint['severity'], en: string, zh: string, leads?: string[]): EcgHint => ({
  code,
  severity,
  machineGenerated: true,
  en: labelEn + en,
  zh: labelZh + zh,
  ...(leads ? { leads } : {}),
});

const median = (values: readonly number[]): number => {
  const s = [...values].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 ? (s[mid] as number) : ((s[mid - 1] as number) + (s[mid] as number)) / 2;
};

export interface RrAnalysis {
  /** Indices i of RR intervals rr[i] that end in a premature beat followed by a longer pause. */
  prematureBeats: number[];
  /** Normalised RMSSD of the RR series with premature/compensatory pairs left out. */
  normalisedRmssd: number | null;
}

/**
 * RR irregularity after leaving out premature beats and their compensatory pauses (an ectopic beat
 * makes a regular rhythm look irregular). Normalised RMSSD > 0.1 is the irregularity criterion of
 * several AF screens, e.g. Dash S et al., "Automatic real time detection of atrial fibrillation",
 * Ann Biomed Eng 2009;37:1701 (RMSSD/mean RR together with turning points and entropy, which need
 * more beats than a 10 s strip has).
 */
export function analyseRr(rrMs: readonly number[]): RrAnalysis {
  if (rrMs.length < 2) return { prematureBeats: [], normalisedRmssd: null };
  const typical = median(rrMs);
  const premature: number[] = [];
  for (let i = 0; i + 1 < rrMs.length; i++) {
    if ((rrMs[i] as number) < 0.85 * typical && (rrMs[i + 1] as number) > 1.1 * typical) premature.push(i);
  }
  // When most intervals look "premature" the rhythm is simply irregular: keep them all.
  const skip = new Set<number>(premature.length <= rrMs.length * 0.3 ? premature.flatMap((i) => [i, i + 1]) : []);
  let sumSquares = 0;
  let count = 0;
  const kept: number[] = [];
  for (let i = 0; i < rrMs.length; i++) {
    if (skip.has(i)) continue;
    kept.push(rrMs[i] as number);
    if (i > 0 && !skip.has(i - 1)) {
      sumSquares += ((rrMs[i] as number) - (rrMs[i - 1] as number)) ** 2;
      count++;
    }
  }
  if (count < 2) return { prematureBeats: premature, normalisedRmssd: null };
  const mean = kept.reduce((a, b) => a + b, 0) / kept.length;
  return { prematureBeats: premature, normalisedRmssd: Math.sqrt(sumSquares / count) / mean };
}

export interface HintInputs {
  heartRateBpm: number | null;
  rrMs: readonly number[];
  pWavePresent: boolean;
  qrsDurationMs: number | null;
  qtcBazettMs: number | null;
  /** ST level at J + 60 ms against the PR segment, µV, per lead. */
  stLevelUv: Readonly<Record<string, number>>;
  sex?: 'M' | 'F' | 'O' | 'U' | undefined;
  /** Leads left out for poor signal quality. */
  excludedLeads?: readonly string[];
  /** Seconds of the strip the detector judged ventricular flutter/fibrillation (no beats counted there). */
  ventricularFlutterSeconds?: number;
}

/** Contiguous-lead territories for ST elevation (Fourth Universal Definition of MI, 2018). */
const territories: { en: string; zh: string; leads: string[] }[] = [
  { en: 'inferior', zh: '下壁', leads: ['II', 'III', 'aVF'] },
  { en: 'anterior/septal', zh: '前壁/间隔', leads: ['V1', 'V2', 'V3', 'V4'] },
  { en: 'lateral', zh: '侧壁', leads: ['I', 'aVL', 'V5', 'V6'] },
];

/**
 * ST-elevation cut-points at the J point (Thygesen K et al., Fourth Universal Definition of
 * Myocardial Infarction, Circulation 2018;138:e618): ≥ 1 mm (100 µV) in two contiguous leads, in
 * V2–V3 ≥ 2 mm for men ≥ 40 y (2.5 mm under 40) and ≥ 1.5 mm for women. Age is not known here, so
 * V2–V3 use 2 mm, or 1.5 mm when the patient is recorded as female.
 */
export function stElevationCutPointUv(lead: string, sex: HintInputs['sex']): number {
  if (lead === 'V2' || lead === 'V3') return sex === 'F' ? 150 : 200;
  return 100;
}

export function rhythmHints(inputs: HintInputs): EcgHint[] {
  const hints: EcgHint[] = [];
  const excluded = inputs.excludedLeads ?? [];
  if (excluded.length > 0) {
    hints.push(
      hint(
        'poor-signal-quality',
        'warning',
        `lead(s) ${excluded.join(', ')} are noisy or an electrode is off; they were left out of the measurements — check the electrodes and record again.`,
        `${excluded.join('、')} 导联信号差或电极脱落，已不参与测量，请检查电极后重新记录。`,
        [...excluded],
      ),
    );
  }
  const flutterSeconds = inputs.ventricularFlutterSeconds ?? 0;
  if (flutterSeconds > 0) {
    const seconds = flutterSeconds.toFixed(0);
    hints.push(
      hint(
        'possible-ventricular-fibrillation',
        'urgent',
        `about ${seconds} s of ventricular flutter/fibrillation-like waves without separate QRS complexes; no heart rate is given — check the patient now.`,
        `约 ${seconds} 秒呈心室扑动/颤动样波形，无可分辨的 QRS 波，不计算心率，请立即查看患者。`,
      ),
    );
  }
  const rate = inputs.heartRateBpm;
  const rr = analyseRr(inputs.rrMs);
  const irregular = rr.normalisedRmssd !== null && rr.normalisedRmssd > 0.1;
  // "Sinus" needs P waves and a regular rhythm; an irregular rhythm is only named by its rate.
  const sinus = inputs.pWavePresent && !irregular;
  if (rate !== null) {
    const bpm = Math.round(rate);
    if (rate < 60) {
      hints.push(
        sinus
          ? hint('sinus-bradycardia', 'info', `sinus bradycardia, ${bpm} bpm (< 60).`, `窦性心动过缓，心率 ${bpm} 次/分（< 60）。`)
          : hint('bradycardia', 'warning', `bradycardia, ${bpm} bpm (< 60), not clearly sinus.`, `心动过缓，心率 ${bpm} 次/分（< 60），非明确窦性心律。`),
      );
    } else if (rate > 100) {
      hints.push(
        sinus
          ? hint('sinus-tachycardia', 'info', `sinus tachycardia, ${bpm} bpm (> 100).`, `窦性心动过速，心率 ${bpm} 次/分（> 100）。`)
          : hint('tachycardia', 'warning', `tachycardia, ${bpm} bpm (> 100), not clearly sinus.`, `心动过速，心率 ${bpm} 次/分（> 100），非明确窦性心律。`),
      );
    }
  }
  if (irregular && rr.normalisedRmssd !== null) {
    const extraEn = inputs.pWavePresent ? '' : ' and no clear P waves';
    const extraZh = inputs.pWavePresent ? '' : '，未见明确 P 波';
    hints.push(
      hint(
        'irregular-rhythm-possible-af',
        'warning',
        `irregularly irregular RR intervals (normalised RMSSD ${rr.normalisedRmssd.toFixed(2)})${extraEn}; possible atrial fibrillation.`,
        `RR 间期绝对不规则（归一化 RMSSD ${rr.normalisedRmssd.toFixed(2)}）${extraZh}，提示可能为心房颤动。`,
      ),
    );
  } else if (rr.prematureBeats.length > 0) {
    const count = rr.prematureBeats.length;
    hints.push(hint('premature-beats', 'info', `${count} premature beat(s) with a compensatory pause.`, `可见 ${count} 次提前出现的搏动，伴代偿间歇（期前收缩）。`));
  }
  for (const territory of territories) {
    const elevated = territory.leads.filter((lead) => {
      const level = inputs.stLevelUv[lead];
      return level !== undefined && level >= stElevationCutPointUv(lead, inputs.sex);
    });
    if (elevated.length >= 2) {
      hints.push(
        hint(
          'possible-st-elevation',
          'urgent',
          `ST elevation in ${elevated.join(', ')} (${territory.en} leads); possible acute myocardial injury — review now.`,
          `${elevated.join('、')} 导联 ST 段抬高（${territory.zh}），提示可能急性心肌损伤，请立即阅图。`,
          elevated,
        ),
      );
    }
  }
  if (inputs.qrsDurationMs !== null && inputs.qrsDurationMs >= 120) {
    const q = Math.round(inputs.qrsDurationMs);
    hints.push(hint('wide-qrs', 'warning', `wide QRS, ${q} ms (≥ 120).`, `QRS 波增宽，${q} 毫秒（≥ 120）。`));
  }
  // AHA/ACCF/HRS 2009 (part IV): QTc ≥ 460 ms women, ≥ 450 ms men is prolonged; hint from 470 ms.
  if (inputs.qtcBazettMs !== null && inputs.qtcBazettMs >= 470) {
    const q = Math.round(inputs.qtcBazettMs);
    hints.push(hint('long-qtc', 'warning', `long QTc (Bazett) ${q} ms (≥ 470).`, `QTc 延长（Bazett 公式）${q} 毫秒（≥ 470）。`));
  }
  return hints;
}
