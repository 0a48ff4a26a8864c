/** The soak report as people read it. */
import type { SoakReport } from './soak.ts';

const ms = (v: number | null) => (v === null ? '—' : v >= 10_000 ? `${(v / 1000).toFixed(1)} s` : `${Math.round(v)} ms`);
const kib = (bytes: number) => `${(bytes / 1024).toFixed(0)} KiB`;

export function printReport(r: SoakReport, out: (line: string) => void = console.log): void {
  const o = r.options;
  out(`\nA county day under faults: ${o.clinics} clinics × ${o.workstations} PCs, ECG centre, county LIS; ${o.minutes} min day, seed ${o.seed}, ${o.hubs} hub process(es)`);
  out(`machine: ${r.machine.cpus} × ${r.machine.cpuModel}, ${r.machine.memoryGiB} GiB, Node ${r.machine.node}, PostgreSQL ${r.machine.postgres}; load average at the end ${r.machine.loadAverageAtEnd.join(' / ')}; run took ${(r.durationSeconds / 60).toFixed(1)} min`);
  out(`work: ${Object.entries(r.work).map(([k, v]) => `${k} ${v}`).join(', ')}`);
  out(`faults injected: ${r.faults.total} — ${Object.entries(r.faults.byKind).map(([k, v]) => `${k} ${v}`).join(', ')}`);
  out(`conflicts answered by the hub and resolved by the declared rules: ${r.conflicts}`);
  out('latency (p50 / p95 / max):');
  for (const [name, l] of Object.entries(r.latencies)) out(`  ${name.padEnd(28)} ${ms(l.p50Ms)} / ${ms(l.p95Ms)} / ${ms(l.maxMs)}  (${l.count} samples)`);
  out(`hub: CPU ${r.hub.cpuSecondsTotal} s (${r.hub.cpuPctMean} % of one core on average), RSS peak ${r.hub.rssMiBPeak} MiB, end ${r.hub.rssMiBEnd} MiB; open fds peak ${r.hub.openFdsPeak}, end ${r.hub.openFdsEnd}; ${r.hub.starts} starts, ${r.hub.unexpectedExits} exits nobody asked for`);
  out(`PostgreSQL: ${r.postgres.records} records, ${kib(r.postgres.totalBytesPer10kRecords)} per 10k records (tables + indexes); largest: ${r.postgres.tables.slice(0, 4).map((t) => `${t.name} ${kib(t.bytesPer10kRecords)}/10k`).join(', ')}`);
  const stores = r.clinicStore.filter((s) => s.records > 0);
  if (stores.length) out(`clinic PC store: ${Math.round(stores.reduce((s, x) => s + x.bytesPer10kRecords, 0) / stores.length / 1024)} KiB per 10k records on average (${stores.map((s) => s.records).join('/')} records)`);
  out(`checks: ${Object.entries(r.verdict.counts).map(([k, v]) => `${k} ${v}`).join(', ')}`);
  if (r.verdict.ok) out('VERDICT: no loss — every record on the hub and on every PC entitled to it, nowhere else, once, edits kept, files verified, reports delivered, critical values acknowledged');
  else {
    out(`VERDICT: LOSS — ${r.verdict.failures.length} problem(s):`);
    for (const f of r.verdict.failures) out(`  ${f}`);
  }
}
