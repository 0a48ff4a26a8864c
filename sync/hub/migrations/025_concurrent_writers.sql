-- Concurrent writers (issue 15). Until now every write took one advisory lock from its first
-- nextval() to COMMIT, so sequence order was commit order — and every push in the county waited
-- for the one before it. Now a record's place in the change feed is (tx, seq): the id of the
-- transaction that wrote it, then the sequence number. A pull returns only records whose
-- transaction id is below the oldest transaction still running (pg_snapshot_xmin of its own
-- snapshot), in (tx, seq) order. Any transaction that commits later has an id at or above that
-- watermark, so it sorts after everything already handed out: a pull at a checkpoint never later
-- finds a committed record behind it, without serialising writers. This is how logical-replication
-- and transactional-outbox readers order by commit without a lock (sync/hub/replication/position.ts).
--
-- Rows written before this migration keep tx = 0: a checkpoint taken before it (seq only) is the
-- position (0, seq) and stays exact. Rows inserted by hand (tools, tests) get the inserting
-- transaction's id by default, so they are never hidden behind a client's checkpoint.

alter table records add column tx bigint not null default 0;
alter table records alter column tx set default (pg_current_xact_id()::text::bigint);

create index records_position on records (collection, tx, seq);
create index records_owner_position on records (owner_institution_id, collection, tx, seq);
create index records_target_position on records (target_institution_id, collection, tx, seq);
drop index records_collection_seq;
drop index records_owner;
drop index records_target;

-- One audit row per pull (not one per patient): the patients whose records were handed out are
-- listed in patient_ids, searchable by the patient access report through this index.
alter table audit_log add column patient_ids text[];
create index audit_log_patient_ids on audit_log using gin (patient_ids);
