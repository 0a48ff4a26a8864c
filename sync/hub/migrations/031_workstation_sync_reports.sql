-- Sync health per workstation (issue 14, the administrator's screens): what each workstation last
-- said about its own queue (changes not yet at the hub, records set aside after a refusal). The hub
-- cannot see a workstation's outbox; the workstation reports it (POST /workstations/sync-report).

create table if not exists workstation_sync_reports (
  workstation_id text primary key references workstations (id),
  reported_at timestamptz not null default now(),
  pending integer not null check (pending >= 0),
  set_aside integer not null check (set_aside >= 0),
  last_synced_at timestamptz
);
