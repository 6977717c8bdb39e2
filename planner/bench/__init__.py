"""`python -m planner.bench`: the engine measured on the field's benchmark (Curtois & Qu) and on
the contract, with the numbers issue 14 asks for. Nothing here runs in the unit tests' timing."""
