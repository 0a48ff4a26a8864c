-- Audit queries by administrators (GET /admin/audit): by user, workstation or institution, newest
-- first and paged by id. The patient index of 004 serves the by-patient query.

create index audit_log_user on audit_log (user_id, id);
create index audit_log_workstation on audit_log (workstation_id, id);
create index audit_log_institution on audit_log (institution_id, id);
