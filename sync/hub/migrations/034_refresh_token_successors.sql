-- A rotated refresh token remembers the token that replaced it (issue 15's flaky registration test):
-- when the workstation's window reloads, or the PC loses power, while a refresh is on its way, the hub
-- has rotated the token but the answer never arrives, and the workstation presents the spent token
-- again. Within a short grace the hub then replaces the unused successor instead of taking the
-- retry for a replay (routes/auth.ts). A token revoked at sign-out, by a replay or by disabling the
-- user has no successor and never gets that grace.
alter table refresh_tokens add column if not exists replaced_by text;
