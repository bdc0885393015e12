"""The integrity pages' handlers (after the sitting): a mixin of the periodic_assessment block."""


class IntegrityHandlers:
    """Handlers of the integrity report; ``STAFF_URLS`` names those the staff page links to."""

    STAFF_URLS = ()
