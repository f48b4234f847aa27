"""Shipments: units dispatched together in a shipper and received, each unit scanned, by another person."""
