"""Writes of the guichet unique, one module per subject. Callers import the module they need:

- `submission`: a professional's request (form, e-mail confirmation, linking to their account);
- `lifecycle`: taking charge, assigning, waiting for the applicant, settlement, withdrawal, closing,
  the follow-ups after settlement;
- `needs`: the needs of a case and their referral to a partner referent;
- `exchanges`: messages with the applicant, private notes, documents;
- `catalogue`: linking the territory's aids and opportunities to a case;
- `reminders`: the periodic reminders to the team;
- `personal_data`: the applicant's rights of access and erasure, the household data's retention;
- `applicant_mail`: the e-mails sent to an applicant without an account (confirmation, news);
- shared by the others: `access` (what the actor may do), `transitions` (the status machine),
  `timeline` (the case's events), `notify` and `links` (who hears of what, and where to look).

Each write is keyword-only and atomic, takes the acting user, checks what the actor may do (the
territory's team: coordinator or manager; a partner referent: only the needs referred to them; the
applicant: only their own case), writes, records a `CaseEvent` and writes the notifications in the same
transaction (outbox, no broker call).
"""
