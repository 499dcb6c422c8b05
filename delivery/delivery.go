package delivery

import (
	"context"
	"time"

	"github.com/lcngw/lcngw/signer"
)

// Endpoint is one merchant URL and how to talk to it.
type Endpoint struct {
	// Merchant is the merchant's vendor code.
	Merchant string
	// Name identifies the endpoint within its merchant; it is a bounded
	// metric label.
	Name string
	// URL is the http(s) URL notifications are POSTed to. It may carry
	// credentials in its query; it is never logged.
	URL string
	// Key is the merchant's secret key, used to check read receipts.
	Key []byte
	// Receipt lists the algorithms a read receipt may use to count
	// (empty: any of the three).
	Receipt signer.Algorithms
	// ReceiptOptional accepts a 2xx answer without a valid read receipt.
	ReceiptOptional bool
	// ReceiptStandardOnly refuses IPN receipts computed the way the
	// official SDKs compute them (signer.ReceiptVariant); by default they
	// count, since they prove the merchant's key as well.
	ReceiptStandardOnly bool
	// ConnectTimeout bounds dialing; Timeout bounds the whole attempt.
	ConnectTimeout, Timeout time.Duration
	// MaxConcurrency bounds in-flight requests to this endpoint (0 = no bound).
	MaxConcurrency int
	// MaxSlotWait bounds how long a try waits for one of the
	// MaxConcurrency slots (0 = no bound); MaxWaiting bounds the tries
	// waiting while the endpoint is saturated, that is within MaxSlotWait
	// of a try that gave up waiting (0 = no bound). A try beyond either
	// fails with Retry/endpoint_busy, so a slow endpoint's overflow moves
	// to the retry path instead of holding the pipeline's capacity.
	MaxSlotWait time.Duration
	MaxWaiting  int
}

// Request is one notification for one endpoint.
type Request struct {
	Endpoint *Endpoint
	// Kind is LCN or IPN (it selects the read-receipt fields).
	Kind signer.Kind
	// Fields is the notification exactly as signed, signature fields
	// included; the receipt is checked against it.
	Fields signer.Fields
	// Body is the form-encoded Fields.
	Body []byte
	// Attempt is the 1-based number of this attempt over the
	// notification's whole life (in-process and durable retries).
	Attempt int
}

// Result classifies an attempt.
type Result uint8

// Results.
const (
	// Delivered: 2xx and a valid read receipt (or receipt optional).
	Delivered Result = iota + 1
	// Retry: a transient failure; try again later.
	Retry
	// Permanent: retrying cannot help (410 Gone, a refused destination,
	// an invalid request); dead-letter the notification.
	Permanent
)

// Reason is a bounded failure classification, usable as a metric label.
type Reason string

// Reasons.
const (
	ReasonOK          Reason = "ok"
	ReasonTimeout     Reason = "timeout"       // connect or total timeout
	ReasonConnect     Reason = "connect"       // DNS, refused, reset, TLS
	ReasonStatus3xx   Reason = "status_3xx"    // redirects are never followed
	ReasonStatus4xx   Reason = "status_4xx"    // other 4xx
	ReasonStatus429   Reason = "status_429"    // rate limited (honours Retry-After)
	ReasonStatus5xx   Reason = "status_5xx"    // 5xx (503 honours Retry-After)
	ReasonGone        Reason = "status_410"    // 410 Gone: permanent
	ReasonNoReceipt   Reason = "no_receipt"    // 2xx without a read receipt
	ReasonBadReceipt  Reason = "bad_receipt"   // a receipt that does not verify
	ReasonBlocked     Reason = "ssrf_blocked"  // destination resolves to a refused address
	ReasonCircuitOpen Reason = "circuit_open"  // endpoint paused by its breaker
	ReasonBusy        Reason = "endpoint_busy" // every slot taken, wait queue full
	ReasonCanceled    Reason = "canceled"      // the caller gave up (shutdown)
	ReasonOther       Reason = "other"
)

// Outcome is what one attempt (or one round of quick attempts) came to.
type Outcome struct {
	Result Result
	Reason Reason
	// Status is the HTTP status, 0 when no response arrived.
	Status int
	// RetryAfter is the delay the endpoint asked for (Retry-After), if any.
	RetryAfter time.Duration
	// Attempts counts the HTTP attempts made for this outcome.
	Attempts int
	// Duration is the time spent.
	Duration time.Duration
	// Receipt is the verified receipt when Result is Delivered.
	Receipt signer.Receipt
	// Err describes the failure; it never contains the URL's query or
	// the secret.
	Err error
}

// Sender delivers one request. Implementations are safe for concurrent use.
type Sender interface {
	Send(ctx context.Context, req *Request) Outcome
}

// String returns "delivered", "retry" or "permanent".
func (r Result) String() string {
	switch r {
	case Delivered:
		return "delivered"
	case Retry:
		return "retry"
	case Permanent:
		return "permanent"
	}
	return "unknown"
}

// SenderFunc adapts a function to [Sender].
type SenderFunc func(ctx context.Context, req *Request) Outcome

// Send calls f.
func (f SenderFunc) Send(ctx context.Context, req *Request) Outcome { return f(ctx, req) }
