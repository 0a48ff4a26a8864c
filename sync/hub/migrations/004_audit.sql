-- Audit trail (审计日志): who read or changed which patient's record, when, from which workstation.
-- Append-only: a trigger refuses UPDATE, DELETE and TRUNCATE for every role, owner included
-- (REVOKE alone would not bind the table owner the hub connects as).

create table audit_log (
  id bigserial primary key,
  at timestamptz not null default now(),
  institution_id text,
  user_id text,
  workstation_id text,
  action text not null,
  collection text,
  record_id text,
  patient_id text,
  detail jsonb
);
create index audit_log_patient on audit_log (patient_id, at);

create function audit_log_is_append_only() returns trigger language plpgsql as $$
begin
  raise exception 'audit_log is append-only' using errcode = 'insufficient_privilege';
end;
$$;

create trigger audit_log_no_update before update or delete on audit_log
  for each row execute function audit_log_is_append_only();
create trigger audit_log_no_truncate before truncate on audit_log
  for each statement execute function audit_log_is_append_only();
