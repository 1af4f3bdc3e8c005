"""Writes of the governance app, one module per subject. Callers import the module they need:

- `council`: the bodies' composition (mandates);
- `meetings`: scheduling a meeting, recording attendance, publishing the minutes;
- `convocations`: convening the members (e-mail with an iCalendar invitation), cancelling, their
  replies, the reminders before the meeting;
- `register`: the deliberations and opinions, numbered in the body's register, and its PDF;
- `annual_report`: the annual report's PDF and its path to the community council;
- `retention`: members who left lose their name past the retention period (the nightly purge);
- `common`: what they share (who may write, the event log, territory checks).

Each write takes the acting user, checks what they may do, writes and records the event in
GovernanceEvent.
"""
