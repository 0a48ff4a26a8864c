-- Identity and tenancy: institutions of the county medical community (县域医共体), their enrolled
-- workstations, users with roles, one-time enrolment codes, rotating refresh tokens and the hub's
-- signing key. Secrets are stored hashed only.

create table institutions (
  id text primary key,
  kind text not null check (kind in ('county_hospital', 'township_clinic', 'ecg_center')),
  name text not null,
  created_at timestamptz not null default now()
);

create table users (
  id text primary key,
  institution_id text not null references institutions (id),
  username text not null,
  display_name text not null,
  role text not null check (role in ('nurse', 'doctor', 'cardiologist', 'administrator')),
  -- scrypt$N$r$p$salt$hash (base64url): see sync/hub/auth/passwords.ts
  password_hash text not null,
  disabled_at timestamptz,
  created_at timestamptz not null default now(),
  unique (institution_id, username)
);

create table workstations (
  id text primary key,
  institution_id text not null references institutions (id),
  name text not null,
  -- SHA-256 of the 256-bit random credential, null until the enrolment code is exchanged
  credential_hash text,
  enrolled_at timestamptz,
  revoked_at timestamptz,
  created_at timestamptz not null default now()
);

create table enrolment_codes (
  code_hash text primary key,
  workstation_id text not null references workstations (id),
  created_by text references users (id),
  expires_at timestamptz not null,
  used_at timestamptz
);

create table refresh_tokens (
  token_hash text primary key,
  user_id text not null references users (id),
  workstation_id text not null references workstations (id),
  expires_at timestamptz not null,
  revoked_at timestamptz,
  created_at timestamptz not null default now()
);
create index refresh_tokens_user on refresh_tokens (user_id);

create table hub_keys (
  kid text primary key,
  private_jwk jsonb not null,
  public_jwk jsonb not null,
  created_at timestamptz not null default now()
);
