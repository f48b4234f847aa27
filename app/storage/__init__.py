"""Storage: the location tree (site → room → storage unit → rack → box) and the containers placed in it."""

from . import receivers  # noqa: F401  (answers what lots ask about units)
