"""The code systems and identifier systems our FHIR resources use, and the codes we send from each."""

#: R5 value set biologicallyderived-product-category (http://hl7.org/fhir/ValueSet/product-category)
PRODUCT_CATEGORY = "http://hl7.org/fhir/product-category"
#: R5 value set biologicallyderived-product-status
PRODUCT_STATUS = "http://hl7.org/fhir/biologicallyderived-product-status"
UCUM = "http://unitsofmeasure.org"
#: ICCBBA's URIs for ISBT 128 data structures
DIN = "https://www.isbt128.org/uri/DonationIdentificationNumber"
PRODUCT_CODE = "https://www.isbt128.org/uri/ProductCode"


def local(fin: str, what: str) -> str:
    """The identifier system of our own barcodes and numbers at this facility (unit barcodes, lot numbers)."""
    return f"urn:cellbank:{fin}:{what}"
