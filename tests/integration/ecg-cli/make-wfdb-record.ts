/**
 * Test-data builder: writes a synthetic WFDB record (.hea/.dat/.atr) to a directory, the way a
 * PhysioNet record sits on disk, and returns its path (without extension) and true beats.
 */
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { writeWfdbRecord } from '../../../core/ecg/formats/wfdb/index.ts';
import type { BeatAnnotation, EcgRecording } from '../../../core/ecg/recording.ts';
import { synthesizeEcg, type Rhythm } from '../../../core/ecg/synthesis/index.ts';

export interface WfdbRecordOnDisk {
  path: string;
  beats: BeatAnnotation[];
  recording: EcgRecording;
}

export async function makeWfdbRecordOnDisk(
  directory: string,
  options: {
    name?: string;
    rhythm?: Rhythm;
    seconds?: number;
    sampleRateHz?: number;
    /** 'mitbih': MLII + V5 in format 212 at 5 µV (like the MIT-BIH Arrhythmia Database); '12-lead': format 16. */
    layout?: 'mitbih' | '12-lead';
    withAnnotations?: boolean;
    seed?: number;
  } = {},
): Promise<WfdbRecordOnDisk> {
  const name = options.name ?? 'rec';
  const layout = options.layout ?? 'mitbih';
  const { recording: full, beats } = synthesizeEcg({
    rhythm: options.rhythm ?? 'normal-sinus',
    durationSeconds: options.seconds ?? 30,
    sampleRateHz: options.sampleRateHz ?? 360,
    seed: options.seed ?? 11,
    resolutionUv: 5,
    noise: { baselineWander: 200, mains50Hz: 30, muscle: 20 },
  });
  const pick = (lead: string) => full.leads.find((l) => l.lead === lead)!.samples;
  const recording: EcgRecording =
    layout === 'mitbih'
      ? { ...full, leads: [{ lead: 'MLII', samples: pick('II') }, { lead: 'V5', samples: pick('V5') }] }
      : full;
  const written = writeWfdbRecord(name, recording, {
    format: layout === 'mitbih' ? 212 : 16,
    beats: options.withAnnotations === false ? undefined : beats,
  });
  await writeFile(join(directory, `${name}.hea`), written.header);
  await writeFile(join(directory, `${name}.dat`), written.dat);
  if (written.atr) await writeFile(join(directory, `${name}.atr`), written.atr);
  return { path: join(directory, name), beats, recording };
}
