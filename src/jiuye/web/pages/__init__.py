"""HTML pages: the citizen site (`citizen`) and the staff console (`console`), over the same
service layer as the JSON API. Shared plumbing (templates, session, CSRF, current user): `common`."""
