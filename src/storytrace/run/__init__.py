"""The run: the stage functions, the one run loop that drives an engine through them, and the
progress it reports. Engines (:mod:`storytrace.engines`) only move data for it."""
