/**
 * Device assignments (which device hangs on which port) persisted as JSON in the agent's config
 * folder. Written atomically — temp file, fsync, rename — so a power cut leaves the old file or the
 * new one, never half of one.
 */
import { mkdir, open, readFile, rename, rm } from 'node:fs/promises';
import path from 'node:path';
import { z } from 'zod';
import { deviceAssignmentSchema } from '../../core/contract/device-assignment.ts';
import type { DeviceAssignment } from '../../core/contract/workstation-api.ts';


const fileSchema = z.object({ version: z.literal(1), assignments: z.array(deviceAssignmentSchema) });

export const ASSIGNMENTS_FILE = 'device-assignments.json';

export class AssignmentStore {
  readonly file: string;

  constructor(readonly configDir: string) {
    this.file = path.join(configDir, ASSIGNMENTS_FILE);
  }

  /** The saved assignments; none when the file is missing. A corrupt file is kept aside, not lost. */
  async load(): Promise<DeviceAssignment[]> {
    let text: string;
    try {
      text = await readFile(this.file, 'utf8');
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') return [];
      throw e;
    }
    try {
      return fileSchema.parse(JSON.parse(text)).assignments;
    } catch {
      await rename(this.file, `${this.file}.corrupt-${Date.now()}`);
      return [];
    }
  }

  async save(assignments: DeviceAssignment[]): Promise<void> {
    await mkdir(this.configDir, { recursive: true });
    const temp = `${this.file}.${process.pid}.${Date.now()}.tmp`;
    const handle = await open(temp, 'w', 0o600);
    try {
      await handle.writeFile(`${JSON.stringify({ version: 1, assignments }, null, 2)}\n`);
      await handle.sync();
    } finally {
      await handle.close();
    }
    try {
      await rename(temp, this.file);
    } catch (e) {
      await rm(temp, { force: true });
      throw e;
    }
  }
}
