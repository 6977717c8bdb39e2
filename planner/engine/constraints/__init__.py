"""One module per constraint family. Each has `add(model, v, inst)`, adds its rule to the model
and returns its penalty terms: hard rules return none, soft rules return the terms of their
objective level (format spec, "Objective")."""
