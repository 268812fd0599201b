"""The report and the viewer: a run directory as pages people can read.

``storytrace report`` writes them as a static folder (:mod:`.static_site`) and ``storytrace
serve`` serves them live with a JSON twin of each (:mod:`.server`). Both go through the same
steps, one module each:

- :mod:`.queries` reads the run's Parquet tables through DuckDB, a page's worth at a time;
- :mod:`.pages` turns the answers into page data (the JSON twin) and server-drawn pieces:
  :mod:`.timeline_svg`, :mod:`.histogram_svg` and :mod:`.marked_text` (passages and changes
  painted onto an original text);
- :mod:`.render` fills one set of Jinja2 templates, linking through :mod:`.links` (server
  paths or relative file names);
- :mod:`.security` holds the policy both apply: escaping, Content-Security-Policy, paths.
"""
