"""Plain, tested functions for the rules casehub encodes: one file a rule."""
