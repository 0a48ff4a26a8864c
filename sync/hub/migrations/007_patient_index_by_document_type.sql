-- Master-patient index (主索引) keyed by identity document type and number, not the number alone:
-- a resident ID, a Hong Kong/Macao/Taiwan residence permit, a foreign permanent resident card and a
-- passport are separate number spaces, and two documents of different kinds that happen to share a
-- number are two people. Existing entries take the document type of their master record (an entry
-- whose master is gone was a resident ID: the only kind the index held in practice).

alter table patient_master_index add column document_type text;

update patient_master_index i
   set document_type = coalesce(
     (select r.doc ->> 'documentType' from records r where r.collection = 'patients' and r.id = i.master_patient_id),
     'resident');

alter table patient_master_index alter column document_type set not null;
alter table patient_master_index drop constraint patient_master_index_pkey;
alter table patient_master_index add constraint patient_master_index_pkey primary key (document_type, id_number);
