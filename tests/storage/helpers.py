"""Storage test helpers: the box shape of the shared tank and its boxes."""

BOX = {"rows": 3, "columns": 3}


def boxes(tank: dict) -> list[dict]:
    """The tank's boxes (as the API returns the tank), rack by rack."""
    return [box for rack in tank["children"] for box in rack["children"]]
