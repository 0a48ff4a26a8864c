-- Sign-in hardening (issue 13): per-account lockout with a growing delay, and refresh-token families
-- (every token rotated from one sign-in shares its family; reusing a spent token revokes the family).

create table if not exists login_failures (
  user_id text primary key references users (id),
  failures integer not null default 0,
  lock_count integer not null default 0,
  locked_until timestamptz
);

alter table refresh_tokens add column if not exists family text;
update refresh_tokens set family = token_hash where family is null;
create index if not exists refresh_tokens_family on refresh_tokens (family);
