package templates_test

import (
	"github.com/lcngw/lcngw/param"
	"github.com/lcngw/lcngw/signer"
)

// Parameter names from the platform's LCN and IPN documentation (the LCN
// parameter table and the documented IPN example). The tests only need
// names, so the specs carry nothing else.
var (
	lcnNames = []string{
		"FIRST_NAME", "LAST_NAME", "COMPANY", "EMAIL", "PHONE", "FAX", "COUNTRY", "STATE", "CITY", "ZIP",
		"ADDRESS", "LICENSE_CODE", "EXPIRATION_DATE", "DATE_UPDATED", "AVANGATE_CUSTOMER_REFERENCE",
		"EXTERNAL_CUSTOMER_REFERENCE", "TEST", "CHANGED_BY", "LICENSE_TYPE", "STATUS", "EXPIRED",
		"TIMEZONE_OFFSET", "DISPATCH_REASON", "LICENSE_PRODUCT_CODE", "HASH", "SIGNATURE_SHA2_256", "SIGNATURE_SHA3_256",
	}
	ipnNames = []string{
		"SALEDATE", "REFNO", "ORDERNO", "ORDERSTATUS", "FIRSTNAME", "LASTNAME", "CUSTOMEREMAIL", "CURRENCY",
		"IPN_PID", "IPN_PNAME", "IPN_QTY", "IPN_PRICE", "IPN_TOTALGENERAL", "IPN_DATE", "MESSAGE_ID",
		"VENDOR_CODE", "HASH", "SIGNATURE_SHA2_256", "SIGNATURE_SHA3_256",
	}
)

func catalogue(kind signer.Kind, names []string) *param.Catalogue {
	specs := make([]param.Spec, len(names))
	for i, n := range names {
		specs[i] = param.Spec{Name: n, Type: "String"}
	}
	return param.NewCatalogue(kind, specs)
}

var (
	lcnCatalogue = catalogue(signer.KindLCN, lcnNames)
	ipnCatalogue = catalogue(signer.KindIPN, ipnNames)
)
