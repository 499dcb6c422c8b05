package delivery

import (
	"context"
	"errors"
	"fmt"
	"net/http"

	"github.com/lcngw/lcngw/signer"
)

// StatusError reports an HTTP status that is not a success.
type StatusError struct {
	// Code is the HTTP status code.
	Code int
}

// Error returns e.g. "HTTP 503 Service Unavailable".
func (e *StatusError) Error() string {
	if text := http.StatusText(e.Code); text != "" {
		return fmt.Sprintf("HTTP %d %s", e.Code, text)
	}
	return fmt.Sprintf("HTTP %d", e.Code)
}

// classify turns a response into an outcome.
//
//	2xx          receipt check (see checkReceipt)
//	410          Permanent status_410
//	429          Retry status_429, honouring Retry-After
//	503          Retry status_5xx, honouring Retry-After
//	other 5xx    Retry status_5xx
//	3xx          Retry status_3xx (redirects are never followed)
//	other 4xx    Retry status_4xx (408 included)
//	anything else Retry other
func (c *Client) classify(req *Request, t *target, a reply) Outcome {
	code := a.status
	if is2xx(code) {
		return c.checkReceipt(req, t, Outcome{Status: code}, a.body.Bytes())
	}
	o := Outcome{Result: Retry, Status: code, Reason: statusReason(code)}
	switch code {
	case http.StatusGone:
		o.Result = Permanent
	case http.StatusTooManyRequests, http.StatusServiceUnavailable:
		o.RetryAfter = retryAfterValue(a.retryAfter, c.cfg.Now(), c.cfg.MaxRetryAfter)
	}
	o.Err = fmt.Errorf("%s: %w", req.Endpoint.label(), &StatusError{Code: code})
	return o
}

// statusReason maps a non-2xx status to its bounded reason.
func statusReason(code int) Reason {
	switch {
	case code == http.StatusGone:
		return ReasonGone
	case code == http.StatusTooManyRequests:
		return ReasonStatus429
	case code >= 300 && code < 400:
		return ReasonStatus3xx
	case code >= 400 && code < 500:
		return ReasonStatus4xx
	case code >= 500 && code < 600:
		return ReasonStatus5xx
	}
	return ReasonOther
}

// receiptSigners lends the Signers that check read receipts, keyed for the
// endpoint at hand (see signer.Pool).
var receiptSigners signer.Pool

// checkReceipt classifies a 2xx answer by the read receipt in its body:
// a receipt that verifies under the endpoint's key, in an accepted
// algorithm (an empty set accepts all three), delivers; no receipt is
// no_receipt and a wrong one (bad hash, algorithm not accepted) is
// bad_receipt, both retried, unless the endpoint makes receipts optional.
// A notification lacking the fields a receipt signs can never be
// confirmed: Permanent, reason other.
func (c *Client) checkReceipt(req *Request, t *target, o Outcome, body []byte) Outcome {
	ep := req.Endpoint
	policy := signer.ReceiptPolicy{Accept: ep.Receipt, StandardOnly: ep.ReceiptStandardOnly}
	kind := req.Kind
	if kind == signer.KindUnknown {
		kind = signer.DetectKind(req.Fields)
	}
	s := receiptSigners.Get(t.key)
	rc, err := s.CheckReceiptWith(body, kind, req.Fields, policy)
	receiptSigners.Put(s)
	switch {
	case err == nil:
		o.Result, o.Reason, o.Receipt = Delivered, ReasonOK, rc
		return o
	case ep.ReceiptOptional:
		o.Result, o.Reason = Delivered, ReasonOK
		return o
	case errors.Is(err, signer.ErrReceiptFields):
		o.Result, o.Reason = Permanent, ReasonOther
	case errors.Is(err, signer.ErrNoReceipt):
		o.Result, o.Reason = Retry, ReasonNoReceipt
	default:
		o.Result, o.Reason = Retry, ReasonBadReceipt
	}
	o.Err = fmt.Errorf("%s: HTTP %d: %w", ep.label(), o.Status, err)
	return o
}

// classifyError classifies a failed request or body read; ctx is the
// caller's context.
//
//	caller's context done        Retry canceled
//	refused by the SSRF guard    Permanent ssrf_blocked
//	connect or total timeout     Retry timeout
//	anything else (DNS, refused, reset, TLS, EOF)  Retry connect
func classifyError(ctx context.Context, err error) (Result, Reason) {
	switch {
	case ctx.Err() != nil:
		return Retry, ReasonCanceled
	case errors.Is(err, ErrBlocked):
		return Permanent, ReasonBlocked
	case errors.Is(err, ErrAttemptTimeout),
		errors.Is(err, ErrConnectTimeout),
		errors.Is(err, context.DeadlineExceeded),
		isTimeout(err):
		return Retry, ReasonTimeout
	}
	return Retry, ReasonConnect
}

// isTimeout reports a timeout anywhere in err's chain (net.Error and
// fasthttp.ErrTimeout both have a Timeout method).
func isTimeout(err error) bool {
	te, ok := errors.AsType[interface {
		error
		Timeout() bool
	}](err)
	return ok && te.Timeout()
}
