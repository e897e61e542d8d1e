"""Domain exceptions; the API maps each class to an HTTP status in one place."""


class KcmapError(Exception):
    """Base class of all kcmap domain errors."""


class NotFound(KcmapError):
    """A requested record or unit does not exist."""


class InvalidInput(KcmapError):
    """Input that cannot be used (bad parameter, bad file, bad field)."""


class DatabaseUnavailable(KcmapError):
    """PostGIS cannot be reached right now."""


class ClusterError(KcmapError):
    """The project-local PostGIS cluster could not be created or started."""
