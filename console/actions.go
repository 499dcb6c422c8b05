package console

import (
	"context"
	"time"
)

// Directory lists the merchants and their endpoints as the merchant
// registry knows them now.
type Directory interface {
	Merchants(ctx context.Context) ([]MerchantInfo, error)
}

// MerchantInfo is a merchant and its endpoints: identifiers and state only.
type MerchantInfo struct {
	VendorCode string
	Endpoints  []EndpointInfo
}

// EndpointInfo is one endpoint's registry state.
type EndpointInfo struct {
	Name   string
	Paused bool
}

// EndpointControl pauses, resumes and checks endpoints through the
// merchant API.
type EndpointControl interface {
	SetPaused(ctx context.Context, merchant, endpoint string, paused bool) error
	// Check probes the endpoint and describes the result in one line
	// (no secret, no personal data).
	Check(ctx context.Context, merchant, endpoint string) (string, error)
}

// ReplayRequest selects dead letters to replay: the listed ones, or, when
// Letters is empty, those of Merchant ("" for all) that failed in
// [Since, Until).
type ReplayRequest struct {
	Letters      []LetterID
	Merchant     string
	Since, Until time.Time
}

// Replayer puts dead letters back on the delivery path.
type Replayer interface {
	Replay(ctx context.Context, req ReplayRequest) (int, error)
}

// ReplayerFunc adapts a function to Replayer.
type ReplayerFunc func(ctx context.Context, req ReplayRequest) (int, error)

// Replay calls f.
func (f ReplayerFunc) Replay(ctx context.Context, req ReplayRequest) (int, error) { return f(ctx, req) }
