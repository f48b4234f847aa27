"""Storage: the location tree (site → room → storage unit → rack → box) and the containers placed in it."""
