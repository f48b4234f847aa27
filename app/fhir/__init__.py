"""FHIR R5 resources for hospital systems: a unit as a BiologicallyDerivedProduct, a dose as a
BiologicallyDerivedProductDispense."""
