-- Content-addressed blobs (ECG DICOM files) keyed by SHA-256. Uploads arrive in chunks at byte
-- offsets (resumable); the blob exists only after the assembled bytes hash to the declared value.

create table blobs (
  sha256 text primary key check (sha256 ~ '^[0-9a-f]{64}$'),
  size bigint not null,
  media_type text not null,
  content bytea not null,
  owner_institution_id text not null references institutions (id),
  created_at timestamptz not null default now()
);

create table blob_uploads (
  sha256 text primary key check (sha256 ~ '^[0-9a-f]{64}$'),
  size bigint not null,
  media_type text not null,
  institution_id text not null references institutions (id),
  started_at timestamptz not null default now()
);

create table blob_chunks (
  sha256 text not null references blob_uploads (sha256) on delete cascade,
  byte_offset bigint not null,
  data bytea not null,
  primary key (sha256, byte_offset)
);
