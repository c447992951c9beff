"""The REST API under /api/v1/: the same data and the same FilterSets as the website, as JSON and CSV."""
