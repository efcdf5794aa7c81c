"""Graph optimization passes, one per module, and the pipeline that runs them (`optimize`)."""
