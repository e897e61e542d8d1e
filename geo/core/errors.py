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


class Unauthorized(KcmapError):
    """No valid credentials (log in, or send an API token)."""


class Forbidden(KcmapError):
    """The acting user may not do this (role or district scope)."""


class Conflict(KcmapError):
    """The record changed since the caller read it (stale version)."""


class PreconditionRequired(KcmapError):
    """An edit came without the version it was based on (If-Match)."""


class PayloadTooLarge(KcmapError):
    """A request body or uploaded file is over the size limit."""


class UnsupportedType(KcmapError):
    """An uploaded file is not of an accepted type."""


class DatabaseDiskFull(DatabaseUnavailable):
    """PostGIS cannot write: its disk is full."""


class DatabaseReadOnly(DatabaseUnavailable):
    """PostGIS accepts only reads (a standby, or the server set read-only)."""


class DatabaseBusy(DatabaseUnavailable):
    """A query was cancelled or ran past its time limit (server busy or stopping)."""


class DatabasePermission(KcmapError):
    """The database account lacks a privilege kcmap needs (a server set-up problem)."""


class DatabaseRetry(KcmapError):
    """A serialization failure or deadlock: the transaction was undone; try again."""
