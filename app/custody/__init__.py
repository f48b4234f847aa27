"""Chain of custody: one event per movement or hand-over of a unit, each linked to the previous one."""
