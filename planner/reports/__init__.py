"""Reports for the quarterly review: the coverage proof (xlsx, pdf), per-person calendars (ics).

proof.py builds the data from an Instance, a Roster and the validator's report; risk.py maps
shortfalls to contract clauses and money; xlsx.py, pdf.py and ics.py only lay it out; files.py
writes a report folder.
"""
