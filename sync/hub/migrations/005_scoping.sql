-- Scoping refinements once the replication protocol was fixed (sync/protocol/wire.ts):
-- * a patient link says why the institution sees the patient: 'treating' (registered or treats the
--   patient: sees the whole record) or 'ecg-reading' (the remote-ECG centre a study was sent to:
--   sees the patient and the ECG studies and reports only);
-- * pushes are idempotent by comparing states (a repeated push finds its own state as the master),
--   so no receipt table is needed.

alter table patient_links add column kind text not null default 'treating'
  check (kind in ('treating', 'ecg-reading'));

drop table push_receipts;

create index records_owner on records (owner_institution_id, collection, seq);
create index records_target on records (target_institution_id, collection, seq);
