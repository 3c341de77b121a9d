"""The API's views, by subject: casework records (:mod:`.casework`),
organisations (:mod:`.organisations`), report figures (:mod:`.figures`),
the schema and its documentation (:mod:`.docs`)."""
