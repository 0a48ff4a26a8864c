-- That every record and patient link names an institution that exists, checked once per statement
-- instead of once per row (issue 15: push ingest is bound by PostgreSQL's work per row).
--
-- A foreign key checks each inserted row on its own — a query and a KEY SHARE lock on the
-- institution's row, which every writer of that clinic shares — and perf of the hub bench's ingest
-- put a fifth of PostgreSQL's CPU there (AfterTriggerEndQuery → SPI): 206–210 ms per 1,000 records
-- with the keys, 159–168 without, three interleaved runs each. A push names one or two institutions,
-- so one look at the distinct names of the statement's rows (a transition table) does the same check.
--
-- What the key's lock was for, an institution deleted or renamed under a record that names it, cannot
-- happen: institutions are kept (the trigger below), like the audit trail.

alter table records drop constraint if exists records_owner_institution_id_fkey;
alter table records drop constraint if exists records_target_institution_id_fkey;
alter table patient_links drop constraint if exists patient_links_institution_id_fkey;

create function refuse_unknown_institutions(names text[]) returns void language plpgsql as $$
declare
  unknown text;
begin
  select n into unknown from unnest(names) as n where n is not null and not exists (select 1 from institutions i where i.id = n) limit 1;
  if found then
    raise exception 'no institution %', unknown using errcode = 'foreign_key_violation';
  end if;
end;
$$;

create function records_name_known_institutions() returns trigger language plpgsql as $$
begin
  perform refuse_unknown_institutions(array(select owner_institution_id from written union select target_institution_id from written));
  return null;
end;
$$;

create function patient_links_name_known_institutions() returns trigger language plpgsql as $$
begin
  perform refuse_unknown_institutions(array(select distinct institution_id from written));
  return null;
end;
$$;

-- A transition table serves one event per trigger: inserts and updates (ON CONFLICT DO UPDATE) each.
create trigger records_institutions_on_insert after insert on records
  referencing new table as written for each statement execute function records_name_known_institutions();
create trigger records_institutions_on_update after update on records
  referencing new table as written for each statement execute function records_name_known_institutions();
create trigger patient_links_institutions_on_insert after insert on patient_links
  referencing new table as written for each statement execute function patient_links_name_known_institutions();
create trigger patient_links_institutions_on_update after update on patient_links
  referencing new table as written for each statement execute function patient_links_name_known_institutions();

create function institutions_are_kept() returns trigger language plpgsql as $$
begin
  raise exception 'institutions are kept: records and links name them' using errcode = 'foreign_key_violation';
end;
$$;
create trigger institutions_never_deleted before delete on institutions
  for each row execute function institutions_are_kept();
create trigger institutions_never_renamed before update of id on institutions
  for each row when (old.id is distinct from new.id) execute function institutions_are_kept();
create trigger institutions_never_truncated before truncate on institutions
  for each statement execute function institutions_are_kept();
