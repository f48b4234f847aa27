"""Doses: order, allocation of vials, preparation after thaw, the pharmacist's two-scan dispense, administration."""
