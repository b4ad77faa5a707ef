"""The audit log: who did what, when, on which object.

`models.AuditAction` names every action the log records, with its label;
`services.log_action` is the one way to write an entry, called by the other
apps' services inside the transaction of the change. Nobody edits the log from
the portal, and on PostgreSQL the table refuses UPDATE and DELETE. Entries hold
ids, never a person's name, phone or e-mail.
"""
