"""The roster store: published rosters, what changed afterwards, and what was actually worked.

Modules: `db` (where the store is, transactions, migrations), `schema` (tables), `snapshot`
(scenario files), `service` (publish, record, actual, history, backup, restore). Persistence
only: the user actions over it (publishing a solve folder after re-validating it, recording,
the actual roster, re-planning) are in planner/workflows/, and the CLI and the app reach the
store only through them.

Nothing is updated in place
    A publication, a scenario snapshot and a recorded change each add rows; no row is ever
    changed or deleted (only `roster restore --force` replaces a whole store). What is in force
    is computed from the rows, so every earlier state can be shown again.

Versions and supersession
    A version is a roster for the dates start..end with its status (draft or published), its
    author, its time, the solve's summary and the snapshot of its scenario files. A draft is
    kept but never in force. For each date, the version in force is the published version with
    the highest id (the latest publication) whose dates include it. A later publication thus
    supersedes an earlier one exactly on the dates they share; the earlier one stays in force on
    its other dates. Versions are numbered in commit order of their transactions.

Recorded changes
    Each is recorded against the version in force on its first date and carries who recorded it,
    when (UTC) and why (the reason is personal data: it stays in the local store and is shown
    only on request).
    - sick S D..U: S works no shift on those dates. A sick day is a fact about the person, so it
      applies whichever version is in force, also one published later; a re-plan treats it as
      an absence.
    - swap A B D..U: on each date A and B exchange their shifts (shift and role move with them).
    - extra S D shift role: S works an additional shift (role: S's primary role by default).
    - cancel S D [shift]: S's shift on that date is dropped.
    A swap, extra or cancelled shift applies only while the version it was recorded on is in
    force: a later publication for those dates was planned from the actual roster (a re-plan
    freezes the past and starts from it), so it already includes them. Changes apply in the order
    recorded. Recording refuses unknown people or shifts (against the version's own scenario
    snapshot) and changes that cannot act (nothing to cancel or swap, a second shift that day).

Team accounts and the audit trail (issue 15)
    `accounts` are the one table whose rows change (a password, a lock, disabling); each such
    change writes an `audit_events` row in the same transaction, and so does every publication
    and record. Audit rows are never updated or deleted, and are not part of a roster backup:
    `restore --force` replaces the roster tables and leaves accounts and the trail alone.
    Requests (`team_requests`) never change once filed; their steps are `request_events`. An
    approved leave is a record of kind "leave", an absence like "sick".

What is in force ("actual")
    The actual roster of a date range = for each date, the assignments of the version in force,
    with the recorded changes applied. Dates no published version covers have no actual roster.
"""

from planner.store.db import Store, StoreError, open_store, resolve_url

__all__ = ["Store", "StoreError", "open_store", "resolve_url"]
