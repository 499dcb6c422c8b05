package ipn

import (
	"strings"

	"github.com/lcngw/lcngw/param"
	"github.com/lcngw/lcngw/signer"
)

// Catalogue lists every IPN parameter in the order the platform sends them
// (the order of every platform-generated payload found), signature fields
// last. Types and maximum lengths are set where 2Checkout documents them;
// allowed values where a value set is documented.
//
// IPN_PRODUCT_OPTIONS is a placeholder, never sent under that name: it marks
// where the per-product pricing-option arrays go (between REFUND_TYPE and
// CHARGEBACK_RESOLUTION) and expands to one group of six arrays per product
// that has options; see [OptionField].
//
// Beyond the platform's table, the catalogue lists the fields real payloads
// and the platform's flows need but no captured payload places (see
// [IsExtra]): CUSTOM_FIELDS, IPN_PURCHASE_ORDER_INFO, REFUND_REASON,
// IPN_PCOMMISSION, IPN_BUNDLE_DETAILS, IPN_BUNDLE_DELIVEREDCODES and
// IPN_RESELLER_ID, _NAME, _URL, _COMMISSION. They come after PROPOSAL_ID,
// and a notification carries them only when its event has them, so one
// without them is exactly what the platform sends; a layout may place them
// elsewhere. Their shapes follow third-party schemas (arrays for
// CUSTOM_FIELDS, IPN_PCOMMISSION and the bundle fields), not confirmed by
// 2Checkout.
func Catalogue() *param.Catalogue { return catalogue }

var catalogue = param.NewCatalogue(signer.KindIPN, catalogueSpecs())

// ProductOptions is the catalogue's placeholder for the per-product
// pricing-option arrays.
const ProductOptions = "IPN_PRODUCT_OPTIONS"

// optionSuffixes are the six pricing-option arrays sent for every product
// that has options, in wire order.
var optionSuffixes = [...]string{"TEXT", "VALUE", "OPTIONAL_VALUE", "PRICE", "OPERATOR", "USAGE"}

// OptionField returns the name of one pricing-option array of a product;
// suffix is TEXT, VALUE, OPTIONAL_VALUE, PRICE, OPERATOR or USAGE (the wire
// order of the six arrays). OptionField("35144095", "TEXT") is
// "IPN_PRODUCT_OPTIONS_35144095_TEXT".
func OptionField(productID, suffix string) string {
	return ProductOptions + "_" + productID + "_" + suffix
}

// IsOptionField reports whether name is a pricing-option array of some
// product (IPN_PRODUCT_OPTIONS_<PID>_<SUFFIX>). Pass it as the allow function
// of Catalogue.Check.
func IsOptionField(name string) bool {
	rest, ok := strings.CutPrefix(name, ProductOptions+"_")
	if !ok {
		return false
	}
	for _, suf := range optionSuffixes {
		if pid, ok := strings.CutSuffix(rest, "_"+suf); ok && validProductID(pid) {
			return true
		}
	}
	return false
}

// validProductID reports whether id can name a product in an option field:
// 1–64 ASCII letters, digits or hyphens (no underscore, so the name splits
// unambiguously).
func validProductID(id string) bool {
	if id == "" || len(id) > maxProductID {
		return false
	}
	for i := 0; i < len(id); i++ {
		c := id[i]
		if !('0' <= c && c <= '9' || 'A' <= c && c <= 'Z' || 'a' <= c && c <= 'z' || c == '-') {
			return false
		}
	}
	return true
}

const maxProductID = 64

// Documented value sets.
var (
	orderStatuses = []string{
		"PENDING", "PURCHASE_PENDING", "PENDING_APPROVAL", "PAYMENT_AUTHORIZED",
		"PAYMENT_RECEIVED", "PENDING_ORDER_APPROVAL", "COMPLETE", "CANCELED",
		"SUSPECT", "INVALID", "REFUND", "REVERSED", "AUTHRECEIVED",
	}
	// messageTypes: AUTH, COMPLETE and PENDING are seen in platform payloads,
	// APPROVED (card) and PROCESSING (SEPA) are documented; REFUND, REVERSED
	// and CANCELED follow the order status of the same name (see EventType).
	messageTypes  = []string{"PENDING", "AUTH", "APPROVED", "PROCESSING", "COMPLETE", "REFUND", "REVERSED", "CANCELED"}
	fraudStatuses = []string{"APPROVED", "PENDING", "DENIED", "UNDER REVIEW"}
	yesNo         = []string{"YES", "NO"}
	// licenseTypes: REGULAR and RENEWAL are seen in platform payloads;
	// UPGRADE and TRIAL are the purchase types of the upgrade and trial
	// flows.
	licenseTypes = []string{"REGULAR", "RENEWAL", "UPGRADE", "TRIAL"}
	zeroOne      = []string{"0", "1"}
)

func catalogueSpecs() []param.Spec {
	specs := append(orderSpecs(), productSpecs()...)
	trailer := trailerSpecs()
	sigs := len(trailer) - 3 // HASH, SIGNATURE_SHA2_256, SIGNATURE_SHA3_256
	specs = append(specs, trailer[:sigs]...)
	specs = append(specs, extraSpecs()...)
	return append(specs, trailer[sigs:]...)
}

// IsExtra reports whether name is one of the catalogued parameters beyond
// the platform's table, sent only when the event has them.
func IsExtra(name string) bool {
	for _, s := range extraSpecs() {
		if s.Name == name {
			return true
		}
	}
	return false
}

func scalar(name, typ, desc string) param.Spec {
	return param.Spec{Name: name, Type: typ, Description: desc}
}

func array(name, typ, desc string) param.Spec {
	return param.Spec{Name: name, Type: typ, Description: desc, Array: true}
}

func limited(s param.Spec, maxLen int) param.Spec {
	s.MaxLen = maxLen
	return s
}

func oneOf(s param.Spec, allowed []string) param.Spec {
	s.Allowed = allowed
	return s
}

func required(s param.Spec) param.Spec {
	s.Required = true
	return s
}
