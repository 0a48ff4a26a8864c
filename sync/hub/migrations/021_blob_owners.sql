-- Blobs by entitlement (issue 13): which institutions uploaded a file. Bytes are stored once per
-- hash, but a study may use a file only if its own institution uploaded it — knowing another
-- clinic's hash no longer gives its DICOM file. Numbered 021 to stay clear of concurrent work.

create table if not exists blob_owners (
  sha256 text not null references blobs (sha256),
  institution_id text not null references institutions (id),
  created_at timestamptz not null default now(),
  primary key (sha256, institution_id)
);

insert into blob_owners (sha256, institution_id) select sha256, owner_institution_id from blobs on conflict do nothing;
