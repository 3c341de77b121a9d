"""Django admin for the roles app, one module per concern: job templates
and their versions (:mod:`.templates`), their sections and duties
(:mod:`.sections`), posts with the post-holder's record (:mod:`.posts`) and
the PA policy (:mod:`.policy`); :mod:`.mixins` holds what they share.
Importing this package registers every model admin."""

from roles.admin import policy, posts, sections, templates

__all__ = ["policy", "posts", "sections", "templates"]
