"""A run as an archive: new articles matched against it without a re-run."""
