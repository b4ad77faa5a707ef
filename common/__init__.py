"""Small helpers every app uses, with no models of their own: how text is
matched, how phone numbers are cleaned, how uploaded files are checked,
stored and served, and how e-mails are rendered and sent."""
