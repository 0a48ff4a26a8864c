-- Remote-ECG reading (远程心电阅片): who is reading which study (one claim per study, so two
-- cardiologists never sign the same ECG), and the clinics' acknowledgements of critical findings
-- (危急值确认). Numbered 011 to stay clear of the migrations other work adds at the same time.

create table if not exists ecg_claims (
  study_id text primary key,
  institution_id text not null references institutions (id),
  user_id text not null references users (id),
  claimed_at timestamptz not null default now()
);

create table if not exists ecg_critical_acknowledgements (
  report_id text primary key,
  institution_id text not null references institutions (id),
  user_id text not null,
  acknowledged_at timestamptz not null,
  recorded_at timestamptz not null default now()
);
