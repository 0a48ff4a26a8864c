-- Replicated records. One row per document of every collection; `seq` comes from the hub's own
-- monotonic sequence (never a clinic clock) and is what pull checkpoints point into. Writers take
-- an advisory lock before drawing from the sequence, so sequence order is commit order and a
-- reader can never skip a row committed late with a smaller number.

create sequence hub_change_seq;

create table records (
  collection text not null,
  id text not null,
  doc jsonb not null,
  deleted boolean not null default false,
  -- scope: the institution that wrote the record; null for reference data visible to everyone
  owner_institution_id text references institutions (id),
  -- the institution the record is addressed to (ECG study → ECG center), if any
  target_institution_id text references institutions (id),
  -- the master patient the record is about (after master-patient merge), if any
  patient_id text,
  seq bigint not null,
  updated_at timestamptz not null default now(),
  updated_by_user text,
  updated_by_workstation text,
  primary key (collection, id)
);
create index records_collection_seq on records (collection, seq);
create index records_patient on records (patient_id);

-- Which institutions may see which patient: written when an institution registers or treats the
-- patient, or when a study about the patient is sent to it. `linked_seq` lets a newly linked
-- institution pull the patient's earlier history through its ordinary checkpoint.
create table patient_links (
  patient_id text not null,
  institution_id text not null references institutions (id),
  linked_seq bigint not null,
  primary key (patient_id, institution_id)
);
create index patient_links_institution on patient_links (institution_id, linked_seq);

-- Master patient index (主索引): one master per resident ID number; other patient ids registered
-- for the same number elsewhere are aliases of it.
create table patient_master_index (
  id_number text primary key,
  master_patient_id text not null
);
create table patient_aliases (
  alias_id text primary key,
  master_patient_id text not null,
  merged_at timestamptz not null default now()
);

-- Push idempotency: a repeated request id replays the stored answer instead of writing again.
create table push_receipts (
  request_id text primary key,
  workstation_id text not null,
  response jsonb not null,
  created_at timestamptz not null default now()
);
