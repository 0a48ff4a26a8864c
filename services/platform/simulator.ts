/**
 * Demo-mode simulator controls ("place a card"). Only the device agent in demo mode offers them; a
 * clinic PC with real readers has none, so the renderer asks for them and copes with their absence.
 */
import type { WorkstationApi } from '../../core/contract/workstation-api.ts';

export interface SampleCard {
  id: string;
  /** Which reader the sample goes on (the agent's simulator offers ID cards and insurance cards). */
  kind?: string | undefined;
  /** Shown on the button, e.g. 居民身份证 · 汉族男性 (a made-up person). */
  label: { zh: string; en: string };
}

export interface SimulatorControls {
  listSampleCards(): Promise<SampleCard[]>;
  placeCard(sampleId: string): Promise<void>;
  /** Takes the card off the reader, so the same card can be placed (and read) again. */
  removeCard(kind: 'id-card' | 'insurance-card'): Promise<void>;
}

export type WorkstationWithSimulator = WorkstationApi & { readonly simulator?: SimulatorControls | undefined };

export const simulatorOf = (api: WorkstationApi): SimulatorControls | undefined => (api as WorkstationWithSimulator).simulator;
