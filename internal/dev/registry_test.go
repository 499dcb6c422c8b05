package dev_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/lcngw/lcngw/internal/dev"
)

// TestRunPutsTheSampleMerchantThroughTheAPI: dev runs on the merchant
// registry; its sample merchant is saved through the merchant API, and the
// narration says how to manage it.
func TestRunPutsTheSampleMerchantThroughTheAPI(t *testing.T) {
	var out syncBuffer
	err := dev.Run(context.Background(), dev.Options{
		Events: 3, ExitWhenDelivered: true, Timeout: 60 * time.Second, Out: &out, AdminToken: "dev-test-token",
	})
	text := out.String()
	if err != nil {
		t.Fatalf("Run: %v\n%s", err, text)
	}
	for _, want := range []string{"saved through the merchant API", "PUT http://127.0.0.1:", "/api/v1/merchants/" + dev.Vendor,
		"lcngw merchant get --api", "registry topic lcngw.merchants", "all 3 notifications delivered"} {
		if !strings.Contains(text, want) {
			t.Errorf("narration lacks %q:\n%s", want, text)
		}
	}
	if strings.Contains(text, "dev-test-token") {
		t.Error("a chosen token was printed")
	}
}
