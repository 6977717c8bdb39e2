"""The CP-SAT model: variables, one module per constraint family, and the objective levels.

Only this package (and planner.engine.solve) imports ortools.
"""
