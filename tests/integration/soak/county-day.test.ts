/**
 * The soak's short run (tests/soak, `npm run soak` for the long one): a one-minute county day — two
 * clinics of two PCs, the ECG centre and the county LIS, each behind a fault proxy — on a fresh
 * PostgreSQL database, with the hub restarted and killed, its PostgreSQL connections terminated and a
 * PC killed mid-sync. Nothing may be lost, duplicated or misplaced, and the faults must really have
 * happened.
 */
import { describe, expect, it } from 'vitest';
import { postgresProbe, requireSystemDependency } from '../../support/system-deps.ts';
import { printReport } from '../../soak/print.ts';
import { runSoak } from '../../soak/soak.ts';

await postgresProbe;

describe.runIf(requireSystemDependency('postgres'))('a county day under faults (short run)', () => {
  it('keeps every record, once, where it belongs, while links break, the hub crashes and a PC loses power', async () => {
    const report = await runSoak({ clinics: 2, workstations: 2, minutes: 1, seed: 17, hubs: 1 });
    const lines: string[] = [];
    printReport(report, (line) => lines.push(line));
    expect(report.verdict.failures, lines.join('\n')).toEqual([]);
    expect(report.verdict.ok).toBe(true);

    // The faults happened: links cut, requests duplicated, delayed and cut, each incident once.
    expect(report.faults.total).toBeGreaterThan(0);
    expect(report.faults.byKind.linkCuts).toBeGreaterThan(0);
    expect(report.faults.byKind.duplicatedConnections! + report.faults.byKind.delayedConnections! + report.faults.byKind.responsesCut!).toBeGreaterThan(0);
    expect(report.faults.byKind).toMatchObject({ hubRestarts: 1, hubKills: 1, postgresTerminations: 1, workstationKills: 1 });
    // The PC died with work unsent and came back with its stored database.
    expect(report.faults.byKind.workstationPendingChangesAtKill).toBeGreaterThan(0);
    expect(report.work.documentsRestoredAfterKill).toBeGreaterThan(0);

    // And the day had its work in it, checked at the end.
    expect(report.work.patientsRegistered).toBeGreaterThan(0);
    expect(report.work.ecgUrgent! + report.work.ecgRoutine!).toBeGreaterThan(0);
    expect(report.verdict.counts['ECG files hash-verified']).toBe(report.work.ecgUrgent! + report.work.ecgRoutine!);
    expect(report.verdict.counts['signed reports']).toBe(report.work.ecgUrgent! + report.work.ecgRoutine!);
    expect(report.verdict.counts['copies verified on PCs']).toBeGreaterThan(0);
  }, 420_000);
});
