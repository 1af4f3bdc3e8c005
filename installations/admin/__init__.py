"""The coordinator's admin for the guichet unique: a case list to live in, the case page with its
needs, timeline, messages and private notes, the dashboard, and the aid and opportunity catalogues.

Every write goes through `installations.services` (inlines and buttons call them), so the rules,
the timeline and the notifications are the same as on the applicant's side. Partner referents see
only the needs referred to them and the minimal information of those needs' cases.

- `cases`: CaseAdmin, composed of `case_list` (the coordinators' list and its bulk actions),
  `case_page` (the case page, a page of its own with one small form per card: `case_forms`),
  `workflow`, `exports` and `dashboard`;
- `partners`: NeedAdmin, and the partner referents' own page (`referrals`: what was referred to
  them, their answer, their thread with the coordinator);
- `catalogue`: follow-ups, aids and opportunities;
- `common`: who is the team, who a partner referent.

Django's autodiscovery imports this package: importing the modules registers their admins.
"""

from installations.admin import cases, catalogue, partners  # noqa: F401 (registers the admins)
