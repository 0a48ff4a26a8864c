/**
 * In-process fan-out of "new changes exist" events to live streams (SSE). Committed writes call
 * `changed(...)`; each stream filters by what its institution may see and tells its client to pull.
 * One hub process per database is assumed (see README.md); several processes would relay through
 * PostgreSQL LISTEN/NOTIFY, which PGlite also offers.
 */
import { EventEmitter } from 'node:events';

export interface ChangeEvent {
  seq: number;
  collections: string[];
  /** Institutions that may see the change; empty = everyone (reference data). */
  institutions: string[];
}

export class ChangeNotifier {
  private readonly emitter = new EventEmitter();

  constructor() {
    this.emitter.setMaxListeners(0); // one listener per connected workstation
  }

  changed(event: ChangeEvent): void {
    this.emitter.emit('change', event);
  }

  subscribe(listener: (event: ChangeEvent) => void): () => void {
    this.emitter.on('change', listener);
    return () => this.emitter.off('change', listener);
  }
}
