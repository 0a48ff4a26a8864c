/**
 * 互认指标: reminders, views, recognitions, refusals and money saved, per institution and period,
 * counted from the replicated `recognitionEvents` records. Periods are calendar days or months in
 * China (UTC+8, a fixed offset: no time-zone database needed, PGlite and PostgreSQL agree).
 */
import type { Queryable } from '../db/database.ts';
import { recognitionRate } from '../../../core/recognition/index.ts';
import type { IndicatorRow, IndicatorTotals } from '../../protocol/recognition.ts';

export interface IndicatorSelection {
  /** First and last calendar day (YYYY-MM-DD, China), inclusive. */
  from: string;
  to: string;
  period: 'day' | 'month';
  /** Only these institutions; undefined = every institution. */
  institutionIds?: readonly string[] | undefined;
}

const chinaTime = `(((r.doc->>'at')::timestamptz at time zone 'UTC') + interval '8 hours')`;

export async function recognitionIndicators(db: Queryable, query: IndicatorSelection): Promise<{ rows: IndicatorRow[]; totals: IndicatorTotals }> {
  const params: unknown[] = [query.period === 'month' ? 'YYYY-MM' : 'YYYY-MM-DD', query.from, query.to];
  const onlyInstitutions = query.institutionIds ? `and r.owner_institution_id = any($${params.push([...query.institutionIds])})` : '';
  const { rows } = await db.query<{
    institution_id: string;
    name: string;
    period: string;
    reminders: string;
    views: string;
    recognitions: string;
    refusals: string;
    saved: string | null;
  }>(
    // Each event's JSON is read and its time parsed once (a materialized CTE: the planner would
    // otherwise repeat the timestamp parse for the select list and both bounds; it dominates the cost).
    `with e as materialized (
       select r.owner_institution_id as institution_id, r.doc->>'kind' as kind,
              (r.doc->>'priceSavedFen')::bigint as saved, ${chinaTime} as local_at
         from records r
        where r.collection = 'recognitionEvents' and not r.deleted ${onlyInstitutions}
     )
     select e.institution_id, i.name, to_char(e.local_at, $1) as period,
            count(*) filter (where e.kind = 'reminder') as reminders,
            count(*) filter (where e.kind = 'view') as views,
            count(*) filter (where e.kind = 'recognized') as recognitions,
            count(*) filter (where e.kind = 'refused') as refusals,
            sum(e.saved) filter (where e.kind = 'recognized') as saved
       from e join institutions i on i.id = e.institution_id
      where e.local_at >= $2::date and e.local_at < $3::date + 1
      group by 1, 2, 3
      order by 3, 1`,
    params,
  );
  const out = rows.map(
    (r): IndicatorRow => ({
      institutionId: r.institution_id,
      institutionName: r.name,
      period: r.period,
      reminders: Number(r.reminders),
      views: Number(r.views),
      recognitions: Number(r.recognitions),
      refusals: Number(r.refusals),
      recognitionRate: recognitionRate(Number(r.recognitions), Number(r.reminders)),
      savedFen: Number(r.saved ?? 0),
    }),
  );
  const sum = (key: 'reminders' | 'views' | 'recognitions' | 'refusals' | 'savedFen') => out.reduce((s, r) => s + r[key], 0);
  const totals = { reminders: sum('reminders'), views: sum('views'), recognitions: sum('recognitions'), refusals: sum('refusals'), savedFen: sum('savedFen') };
  return { rows: out, totals: { ...totals, recognitionRate: recognitionRate(totals.recognitions, totals.reminders) } };
}
