package receiver

import (
	"errors"
	"net/http"

	"github.com/lcngw/lcngw/signer"
)

// Rejection errors. Every error the middleware hands to an error handler
// wraps exactly one of them; test with errors.Is. Signature errors also wrap
// the signer sentinel that caused them (signer.ErrNoSignature,
// signer.ErrMissingSignature, signer.ErrMD5Only or signer.ErrMismatch).
var (
	// ErrMethod: the request is neither POST nor GET/HEAD.
	ErrMethod = errors.New("method not allowed")
	// ErrBodyTooLarge: the body exceeds Config.MaxBodySize.
	ErrBodyTooLarge = errors.New("request body too large")
	// ErrContentEncoding: the body is compressed or otherwise encoded.
	ErrContentEncoding = errors.New("unsupported content encoding")
	// ErrMalformed: the body is not a well-formed form body.
	ErrMalformed = errors.New("malformed notification")
	// ErrUnknownKind: the notification carries neither IPN_PID nor
	// LICENSE_CODE, so no read receipt can be computed for it.
	ErrUnknownKind = errors.New("not an IPN or LCN notification")
	// ErrUnknownVendor: no secret is configured for the VENDOR_CODE sent.
	ErrUnknownVendor = errors.New("unknown vendor code")
	// ErrSignature: a signature is missing, too weak for the policy, or
	// does not match.
	ErrSignature = errors.New("signature rejected")
	// ErrInProgress: the same notification is being handled by another
	// request right now; the platform's next retry will be acknowledged.
	ErrInProgress = errors.New("notification is being processed")
	// ErrStore: the duplicate store failed. The request is refused (no
	// receipt) so that the platform retries it.
	ErrStore = errors.New("duplicate check unavailable")
)

// StatusCode maps a rejection error to its HTTP status: 405, 413, 415, 400
// (malformed, unknown kind), 403 (signature, unknown vendor), 409 (in
// progress), 503 (store) and 500 for anything else.
func StatusCode(err error) int {
	switch {
	case errors.Is(err, ErrMethod):
		return http.StatusMethodNotAllowed
	case errors.Is(err, ErrBodyTooLarge):
		return http.StatusRequestEntityTooLarge
	case errors.Is(err, ErrContentEncoding):
		return http.StatusUnsupportedMediaType
	case errors.Is(err, ErrMalformed), errors.Is(err, ErrUnknownKind):
		return http.StatusBadRequest
	case errors.Is(err, ErrSignature), errors.Is(err, ErrUnknownVendor):
		return http.StatusForbidden
	case errors.Is(err, ErrInProgress):
		return http.StatusConflict
	case errors.Is(err, ErrStore):
		return http.StatusServiceUnavailable
	}
	return http.StatusInternalServerError
}

// Reason returns the short, fixed text the default error handlers answer
// with. It never contains anything taken from the request.
func Reason(err error) string {
	switch {
	case errors.Is(err, signer.ErrNoSignature):
		return "signature missing"
	case errors.Is(err, signer.ErrMissingSignature):
		return "required signature missing"
	case errors.Is(err, signer.ErrMD5Only):
		return "MD5-only signature rejected"
	case errors.Is(err, ErrSignature):
		return "invalid signature"
	}
	for _, s := range [...]error{ErrMethod, ErrBodyTooLarge, ErrContentEncoding, ErrMalformed,
		ErrUnknownKind, ErrUnknownVendor, ErrInProgress, ErrStore} {
		if errors.Is(err, s) {
			return s.Error()
		}
	}
	return "internal error"
}

// Result is the bounded outcome of one verification, used as a metric label.
type Result uint8

// Verification results.
const (
	ResultValid      Result = iota // every present signature matched
	ResultInvalid                  // a signature did not match, or the vendor is unknown
	ResultMissing                  // no signature at all
	ResultDowngraded               // only MD5, or a required algorithm absent
	ResultMalformed                // not a form body, bad encoding, unknown kind
	ResultTooLarge                 // body over the size limit
)

var resultNames = [...]string{"valid", "invalid", "missing", "downgraded", "malformed", "too_large"}

// String returns the metric label: valid, invalid, missing, downgraded,
// malformed or too_large.
func (r Result) String() string {
	if int(r) < len(resultNames) {
		return resultNames[r]
	}
	return "unknown"
}

// Results lists every Result, in label order.
func Results() []Result {
	return []Result{ResultValid, ResultInvalid, ResultMissing, ResultDowngraded, ResultMalformed, ResultTooLarge}
}

// resultOf classifies a verification error.
func resultOf(err error) Result {
	switch {
	case err == nil:
		return ResultValid
	case errors.Is(err, ErrBodyTooLarge):
		return ResultTooLarge
	case errors.Is(err, signer.ErrNoSignature):
		return ResultMissing
	case errors.Is(err, signer.ErrMD5Only), errors.Is(err, signer.ErrMissingSignature):
		return ResultDowngraded
	case errors.Is(err, ErrSignature), errors.Is(err, ErrUnknownVendor):
		return ResultInvalid
	}
	return ResultMalformed
}
