-- The hub's half of a workstation's local-data key (docs/security-local-data.md §2, "A second user"):
-- one random secret per workstation, returned only in a successful online sign-in on that workstation.
-- The workstation keeps its data key sealed under it, so a user who never signed in there gets the key
-- once the hub verified their password; the copied disk alone opens nothing.
create table if not exists workstation_key_escrow (
  workstation_id text primary key references workstations (id),
  secret text not null,
  created_at timestamptz not null default now()
);
