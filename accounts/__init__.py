"""People who sign in, and what they may do.

- `models.py`: the user (the e-mail address is the login; a partner's link to
  the organisation it works for).
- `roles.py`: the roles (committee, secretariat, partner) and every right they
  hold, as Django permissions: the one place to read who may do what.
- `services.py`: giving and taking back roles, closing an account, and the
  sign-ins written to the audit log (`receivers.py` listens for them).
- `middleware.py`: the second factor, required of every account that sees
  personal data, and the lifetime of their sessions.
- `navigation.py`: the menu each person sees. `management/commands/`: backup
  and restore of the database and the uploaded files.

Imports no other app of the portal but `audit`.
"""
