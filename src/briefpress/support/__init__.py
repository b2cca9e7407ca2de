"""Turn the machine's resources into safe, bounded services every stage leans on.

Files, limits, locks, caches, sandboxed loading: see docs/architecture.md (the build's
worker pool, cluster and progress bar are in briefpress.run).
"""
