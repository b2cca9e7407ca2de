"""Development tools: benchmarks and fuzzing (not shipped with briefpress)."""
