"""Writes of the training axis, one module per subject (placements, housing, welcome); callers
import the module they need."""
