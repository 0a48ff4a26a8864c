-- The access model of issue 13.
-- * A treating relationship records how it began: the patient was registered here, registered again
--   here from a card read or by hand (a duplicate of another clinic's patient), a record was written
--   here about a patient already visible, emergency access ("break the glass") with its reason, the
--   ECG centre's reading link; 'legacy' for links made before this migration.
-- * Identity discrepancies: a name, sex, birth date or document from outside the home institution
--   never overwrites the master patient; it waits here for the county's patient-index administrator.
-- * Results for patients not (yet) registered are held, and filed when the patient is registered,
--   so posting a result never tells its sender whether a person is known.

alter table patient_links add column began text not null default 'legacy'
  check (began in ('registered', 'card-read', 'hand-typed', 'record-written', 'break-the-glass', 'ecg-reading', 'legacy'));
alter table patient_links add column began_at timestamptz not null default now();
alter table patient_links add column began_by_user text;
alter table patient_links add column reason text;

create table if not exists identity_discrepancies (
  id bigserial primary key,
  master_patient_id text not null,
  -- the record the differing values came from (the master itself, or a duplicate registration)
  source_record_id text not null,
  source text not null check (source in ('edit', 'duplicate-registration')),
  registration text,
  reported_by_institution text not null references institutions (id),
  reported_by_user text,
  proposed jsonb not null,
  created_at timestamptz not null default now(),
  resolved_at timestamptz,
  resolved_by text,
  resolution text check (resolution in ('accepted', 'rejected'))
);
create index if not exists identity_discrepancies_open on identity_discrepancies (resolved_at, id);

create table if not exists held_results (
  result_id text primary key,
  institution_id text not null references institutions (id),
  subject_kind text not null check (subject_kind in ('resident-id', 'patient-id')),
  subject_value text not null,
  doc jsonb not null,
  posted_by_user text,
  received_at timestamptz not null default now()
);
create index if not exists held_results_subject on held_results (subject_kind, subject_value);
