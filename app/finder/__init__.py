"""Scan or search from anywhere: the header's field opens the page of the object a code names."""
