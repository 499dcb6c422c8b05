package pipeline_test

import (
	"testing"

	"github.com/lcngw/lcngw/config"
	"github.com/lcngw/lcngw/internal/canarytest"
	"github.com/lcngw/lcngw/pipeline"
	"github.com/lcngw/lcngw/signer"
)

// TestDeadInputDetailHasNoEventText: an invalid event with a canary (an
// e-mail address, a card-number-like string) anywhere is dead-lettered
// with a detail, the text of the lcngw-detail header and of the log line,
// that never repeats it.
func TestDeadInputDetailHasNoEventText(t *testing.T) {
	m := &pipeline.Merchant{VendorCode: vendor, Key: key, Endpoints: []pipeline.Endpoint{endpoint("main", config.BothKinds)}}
	p := newPipeline(t, pipeline.MerchantMap{vendor: m}, answer(ok), nil)
	for _, tc := range []struct {
		kind signer.Kind
		name string
	}{{signer.KindLCN, "licence-change"}, {signer.KindIPN, "new-order"}} {
		variants, err := canarytest.Variants(example(t, tc.kind, tc.name))
		if err != nil {
			t.Fatal(err)
		}
		dead := 0
		for _, v := range variants {
			d := p.Process(t.Context(), pipeline.Record{Kind: tc.kind, Key: []byte("k1"), Value: v.Data})
			if d.Verdict != pipeline.Dead {
				continue
			}
			dead++
			if c := canarytest.Leak(d.Reason + " " + d.Detail); c != "" {
				t.Errorf("%s, canary at %s: dead-letter detail repeats %s: %s", tc.kind, v.Path, c, d.Detail)
			}
		}
		if dead == 0 {
			t.Errorf("%s: no variant was dead-lettered", tc.kind)
		}
	}
}
