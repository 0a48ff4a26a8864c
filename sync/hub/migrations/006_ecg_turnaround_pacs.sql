-- Remote-diagnosis turnaround (captured → received → opened → signed) and PACS forwarding.
--
-- Every time here except captured_at is the hub's own clock (clock_timestamp() when the hub saw the
-- event), never a workstation's: a clinic PC whose clock is off must not make the centre look slow
-- or fast. captured_at is the clinic's capture time from the study record (the only clinic clock
-- the figures use); an interval from it that comes out negative is reported as clock skew.

create table ecg_turnaround (
  study_id text primary key,
  clinic_institution_id text not null references institutions (id),
  center_institution_id text references institutions (id),
  priority text not null check (priority in ('urgent', 'routine')),
  captured_at timestamptz not null,
  -- the study record first reached the hub
  study_at timestamptz not null,
  -- the DICOM file was complete at the hub (may precede the record: uploads and pushes race)
  file_at timestamptz,
  -- a cardiologist first opened the study in the reading room (POST /ecg/studies/:id/opened, or the
  -- centre claiming it: readingState 'being-read')
  opened_at timestamptz,
  opened_by text,
  -- the centre's signed report first reached the hub
  signed_at timestamptz,
  report_id text,
  -- a study that was at the hub before this migration: its times are unknown, so it is never counted
  -- (the row only stops a later write from passing it off as newly arrived)
  backfilled boolean not null default false
);

insert into ecg_turnaround (study_id, clinic_institution_id, center_institution_id, priority, captured_at, study_at, backfilled)
select r.id, r.owner_institution_id, r.target_institution_id, r.doc->>'priority', (r.doc->>'capturedAt')::timestamptz, r.updated_at, true
  from records r
 where r.collection = 'ecgStudies' and r.owner_institution_id is not null
on conflict (study_id) do nothing;
create index ecg_turnaround_center_study_at on ecg_turnaround (center_institution_id, study_at);
create index ecg_turnaround_study_at on ecg_turnaround (study_at);

-- Optional forwarding of each received study's DICOM file to the county PACS (STOW-RS). One row per
-- study once its file and record are both at the hub; a background worker sends due rows and
-- retries with backoff. 'failed' is final (the archive refused the object); network errors and 5xx
-- stay 'pending' and are retried.
create table pacs_forwards (
  study_id text primary key,
  sha256 text not null,
  state text not null default 'pending' check (state in ('pending', 'sent', 'failed')),
  attempts integer not null default 0,
  next_attempt_at timestamptz not null default now(),
  last_error text,
  created_at timestamptz not null default now(),
  sent_at timestamptz
);
create index pacs_forwards_due on pacs_forwards (state, next_attempt_at);
