"""build jobs into results: warm worker pools, a Dask cluster, progress."""
