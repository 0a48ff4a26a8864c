-- Fewer index entries per record written (issue 15: push ingest is bound by PostgreSQL's work per row).
--
-- records_owner_position is dropped: no statement reads records by owner without also naming the
-- collection, and records_position (collection, tx, seq) serves those — pulls filter visibility along
-- it (their OR with the patient links rules out an owner index), the indicators and escalations scan
-- one collection. Every record paid for an entry nobody read.
--
-- records_target_position keeps only addressed records (ECG studies and reports): every query on it
-- names a target (`target_institution_id = $n`), which implies "is not null", so the planner still uses
-- it for the reading room's worklist, and the other collections' records (nearly all) no longer write
-- an entry for their null.
drop index if exists records_owner_position;
drop index if exists records_target_position;
create index records_target_position on records (target_institution_id, collection, tx, seq) where target_institution_id is not null;
