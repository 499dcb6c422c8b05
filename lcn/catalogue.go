package lcn

import (
	"github.com/lcngw/lcngw/param"
	"github.com/lcngw/lcngw/signer"
)

// Catalogue lists every documented LCN parameter in documented order: 94
// entries, the three signature fields (HASH, SIGNATURE_SHA2_256,
// SIGNATURE_SHA3_256) included where the platform's table puts them. Its
// Names (and so templates.Default) leave the signature fields out: the
// builder never emits them and the signer appends them last.
func Catalogue() *param.Catalogue { return catalogue }

var catalogue = param.NewCatalogue(signer.KindLCN, specs)

// DISPATCH_REASON values, spelled as the platform spells them (British
// "LICENCE", single-L "CANCELATION").
const (
	ReasonLicenceChange            = "LICENCE_CHANGE"
	ReasonLicenceExpiration        = "LICENCE_EXPIRATION"
	ReasonLicencePastDue           = "LICENCE_PASTDUE"
	ReasonLicenceCCChange          = "LICENCE_CC_CHANGE"
	ReasonLicenceImported          = "LICENCE_IMPORTED"
	ReasonLicenceCPCAccepted       = "LICENCE_CPC_ACCEPTED"
	ReasonScheduledForCancelation  = "SCHEDULED_FOR_CANCELATION_ON_DEMAND"
	ReasonRevertCancelation        = "REVERT_CANCELATION_ON_DEMAND"
	ReasonCancelationOnDemand      = "CANCELATION_ON_DEMAND"
	ReasonLicencePendingActivation = "LICENCE_PENDING_ACTIVATION"
	ReasonLicenceGPChange          = "LICENCE_GP_CHANGE"
)

// STATUS values.
const (
	StatusPendingActivation = "PENDING_ACTIVATION"
	StatusActive            = "ACTIVE"
	StatusCanceled          = "CANCELED"
	StatusExpired           = "EXPIRED"
	StatusPastDue           = "PASTDUE"
	StatusPaused            = "PAUSED"
)

// LICENSE_TYPE values.
const (
	LicenseRegular = "REGULAR"
	LicenseTrial   = "TRIAL"
)

// CHANGED_BY values.
const (
	ChangedByCustomer = "CUSTOMER"
	ChangedByVendor   = "VENDOR"
	ChangedBySystem   = "SYSTEM"
)

// Documented value sets. They are shared by the catalogue and the event
// validation and must not be modified.
var (
	flagValues      = []string{"0", "1"}
	changedByValues = []string{ChangedByCustomer, ChangedByVendor, ChangedBySystem}
	licenseTypes    = []string{LicenseRegular, LicenseTrial}
	statusValues    = []string{StatusPendingActivation, StatusActive, StatusCanceled, StatusExpired, StatusPastDue, StatusPaused}
	priceTypes      = []string{"GROSS", "NET"}
	billingTypes    = []string{billingPrepaid, billingPostpaid}
	usageStatuses   = []string{"UNREPORTED", "REPORTED", "PAID"}
	afterCycles     = []string{"CANCEL", "RESTART", "NONE"}
	optionOperators = []string{"ADD", "SUBTRACT"}
	optionImpacts   = []string{"ADD", "SUBTRACT", "NONE", "RECURRING"}
	dispatchReasons = []string{ReasonLicenceChange, ReasonLicenceExpiration, ReasonLicencePastDue, ReasonLicenceCCChange, ReasonLicenceImported, ReasonLicenceCPCAccepted, ReasonScheduledForCancelation, ReasonRevertCancelation, ReasonCancelationOnDemand, ReasonLicencePendingActivation, ReasonLicenceGPChange}
	optionUsages    = billingTypes
	impactNeutral   = map[string]bool{"NONE": true, "RECURRING": true}
)

// LICENSE_BILLING_TYPE and LCN_LICENSE_OPTIONS_USAGE values.
const (
	billingPrepaid  = "PREPAID"
	billingPostpaid = "POSTPAID"
)

// DispatchReasons returns the eleven documented DISPATCH_REASON values in
// documented order.
func DispatchReasons() []string { return append([]string(nil), dispatchReasons...) }
