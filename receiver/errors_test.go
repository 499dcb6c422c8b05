package receiver_test

import (
	"errors"
	"fmt"
	"testing"

	"github.com/lcngw/lcngw/receiver"
	"github.com/lcngw/lcngw/signer"
)

// TestErrorMapping: every sentinel maps to its status and fixed reason,
// also when wrapped.
func TestErrorMapping(t *testing.T) {
	for _, tt := range []struct {
		err    error
		status int
		reason string
	}{
		{receiver.ErrMethod, 405, "method not allowed"},
		{receiver.ErrBodyTooLarge, 413, "request body too large"},
		{receiver.ErrContentEncoding, 415, "unsupported content encoding"},
		{receiver.ErrMalformed, 400, "malformed notification"},
		{receiver.ErrUnknownKind, 400, "not an IPN or LCN notification"},
		{receiver.ErrUnknownVendor, 403, "unknown vendor code"},
		{fmt.Errorf("%w: %w", receiver.ErrSignature, signer.ErrMismatch), 403, "invalid signature"},
		{fmt.Errorf("%w: %w", receiver.ErrSignature, signer.ErrNoSignature), 403, "signature missing"},
		{fmt.Errorf("%w: %w", receiver.ErrSignature, signer.ErrMD5Only), 403, "MD5-only signature rejected"},
		{fmt.Errorf("%w: %w", receiver.ErrSignature, signer.ErrMissingSignature), 403, "required signature missing"},
		{receiver.ErrInProgress, 409, "notification is being processed"},
		{fmt.Errorf("%w: %w", receiver.ErrStore, errors.New("redis: secret@host")), 503, "duplicate check unavailable"},
		{errors.New("anything else"), 500, "internal error"},
	} {
		wrapped := fmt.Errorf("context: %w", tt.err)
		if s, r := receiver.StatusCode(wrapped), receiver.Reason(wrapped); s != tt.status || r != tt.reason {
			t.Errorf("%v: %d %q, want %d %q", tt.err, s, r, tt.status, tt.reason)
		}
	}
}

func TestResultLabels(t *testing.T) {
	var got []string
	for _, r := range receiver.Results() {
		got = append(got, r.String())
	}
	if fmt.Sprint(got) != "[valid invalid missing downgraded malformed too_large]" || receiver.Result(99).String() != "unknown" {
		t.Errorf("labels = %v", got)
	}
}
