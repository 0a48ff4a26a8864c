-- Blobs by entitlement (issue 13): an upload in progress belongs to the institution uploading it, so
-- two institutions uploading the same bytes never collide and a 0-byte chunk cannot squat another's
-- upload. Unfinished uploads expire (HubSettings.blobUploadTtlSeconds, 24 h by default).

delete from blob_chunks;
delete from blob_uploads;
alter table blob_chunks drop constraint if exists blob_chunks_sha256_fkey;
alter table blob_chunks drop constraint if exists blob_chunks_pkey;
alter table blob_uploads drop constraint if exists blob_uploads_pkey;
alter table blob_uploads add primary key (sha256, institution_id);
alter table blob_chunks add column institution_id text not null;
alter table blob_chunks add primary key (sha256, institution_id, byte_offset);
alter table blob_chunks add constraint blob_chunks_upload_fkey foreign key (sha256, institution_id)
  references blob_uploads (sha256, institution_id) on delete cascade;
