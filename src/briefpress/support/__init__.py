"""Turn the machine's resources into safe, bounded services every stage leans on.

Files, limits, locks, caches, sandboxed loading, the worker pool: see docs/architecture.md.
"""
