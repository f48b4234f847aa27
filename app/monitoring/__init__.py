"""Temperature monitoring: readings of storage units, excursions, and the flags they put on stored units."""
